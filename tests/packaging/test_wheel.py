"""The package installs anywhere: a wheel built from the repository, installed in a
fresh virtual environment outside it, builds a directory from a user's spreadsheet
in another folder (layouts, data and fonts travel inside the wheel)."""

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_wheel_installs_and_builds_outside_the_repository(tmp_path):
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)])
    (wheel,) = wheels.glob("annuaire-*.whl")
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    run([str(py), "-m", "pip", "install", "--quiet", str(wheel)])

    user = tmp_path / "mairie"
    user.mkdir()
    sheet = user / "services.csv"
    sheet.write_text(
        "Nom;Typologie;Adresse;Code postal;Commune;Téléphone\n"
        "Pharmacie du Marché;Pharmacie;2 place du Marché;15300;Murat;04 71 20 00 11\n"
        "Pharmacie de la Gare;Pharmacie;5 avenue de la Gare;15100;Saint-Flour;04 71 60 00 22\n",
        encoding="cp1252",
    )
    listing = run([str(env_dir / "bin" / "annuaire"), "build", "--help"], cwd=user)
    assert "--layout" in listing.stdout
    for layout in ("a5", "a4", "gros-caracteres"):
        out = user / f"annuaire-{layout}.pdf"
        run(
            [
                str(env_dir / "bin" / "annuaire"),
                "build",
                "--theme",
                "sante",
                "services.csv",
                "--layout",
                layout,
                "--out",
                out.name,
            ],
            cwd=user,
        )
        assert out.read_bytes().startswith(b"%PDF-")
    # Nothing was read from or written to the repository.
    assert not (user / "sample_data").exists()


def test_build_without_input_says_what_to_give(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "annuaire", "build", "--theme", "sante"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Aucun fichier à lire" in done.stderr
