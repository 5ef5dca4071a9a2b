"""French typography of printed text.

:func:`french` is applied to every text that reaches the page: it puts the
non-breaking spaces French typography requires (before ``: ; ! ?``, inside
« », in « n° 12 », « 8 h 30 », « 3 km », « 1 500 »), turns straight
apostrophes and paired straight quotes into typographic ones, and cleans
up the odd spaces spreadsheets carry.  It is idempotent and never touches
an e-mail address or a URL.

Odd spaces matter for ReportLab: it breaks lines at U+202F (the narrow
no-break space French Word and Excel insert) and at U+2007, and the fonts
often lack U+202F, so both become U+00A0.

:func:`smart_title` turns the ALL-CAPS names of national datasets (FINESS,
Éducation nationale, bibliothèques) into readable French capitalisation,
restoring accents from a small dictionary of unambiguous words;
:func:`upper_fr` upper-cases keeping accents ('École' → 'ÉCOLE').

:func:`finish` is the last pass on every string the PDF engine draws,
whatever its origin (entries, but also the reference data: commune names,
EPCI names, and the engine's own labels): typographic apostrophes
(« Bourbon-l’Archambault »), an en dash with spaces as separator (« HAD 63 –
Service HAD », never a line ending in « - »), narrow no-break spaces
(U+202F) before ``; : ! ?`` and inside « », superscript ordinals (« 1ᵉʳ »,
« 2ᵉ », « XIXᵉ »).  :func:`french` keeps U+00A0 for the stored data
(spreadsheets and exports lack U+202F); the printing face has it.
"""

from __future__ import annotations

import re
import unicodedata

NBSP = "\u00a0"
NNBSP = "\u202f"  # espace fine insécable

# ---------------------------------------------------------------------------
# french()

# Spaces that become a non-breaking space: they were meant not to break.
_TO_NBSP = {"\u202f": NBSP, "\u2007": NBSP}
# Zero-width characters are dropped rather than turned into spaces: pasted
# from web pages, they sit inside words or next to a real space.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
# Other spaces (tab, thin, hair, em…) become a plain space.
_ODD_SPACES = re.compile(r"[\t\v\f\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000]")

_URL = re.compile(
    r"""(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>«»"]+"""  # scheme or www.
    r"""|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"""  # e-mail
    r"""|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fr|com|org|net|eu|info|gouv\.fr|bzh)\b(?:/[^\s<>«»"]*)?""",
    re.IGNORECASE,
)
# A sentence's final punctuation is not part of the address.
_URL_TRAILING = ".,;:!?)]»’'\""
# What every match of _URL contains (a scheme's ://, www., an @ or a known
# domain): a text without any of it is left alone without running _URL.
_URL_HINT = re.compile(r"://|www\.|@|\.(?:fr|com|org|net|eu|info|gouv|bzh)", re.IGNORECASE)

_PLACEHOLDER_BASE = 0xF0000  # supplementary private use area: never in real text


def _protect(text: str) -> tuple[str, list[str]]:
    """Replace URLs and e-mails by placeholders the typographic rules ignore."""
    kept: list[str] = []
    if not _URL_HINT.search(text):
        return text, kept  # no scheme, www., @ nor known domain: nothing to protect

    def repl(m: re.Match) -> str:
        s = m.group(0)
        tail = ""
        while s and s[-1] in _URL_TRAILING:
            # Keep a closing parenthesis that belongs to the URL (Wikipedia style).
            if s[-1] == ")" and s.count("(") >= s.count(")"):
                break
            tail = s[-1] + tail
            s = s[:-1]
        kept.append(s)
        return chr(_PLACEHOLDER_BASE + len(kept) - 1) + tail

    return _URL.sub(repl, text), kept


_PLACEHOLDER = re.compile(r"[\U000F0000-\U000FFFFD]")


def _restore(text: str, kept: list[str]) -> str:
    if not kept:
        return text
    return _PLACEHOLDER.sub(lambda m: kept[ord(m.group(0)) - _PLACEHOLDER_BASE], text)


_SPACE_RUN = re.compile(r"[ \u00a0]+")
_SPACES = re.compile(r" {2,}")
_AROUND_NEWLINE = re.compile(r"[ \u00a0]*\n[ \u00a0]*")
_UNITS = r"(?:km/h|km²|km|m²|m³|cm|mm|m|kg|g|ha|cl|ml|l|L|min|°C|kWh|kW|Mo|Go|ko)"


def _spaces(text: str) -> str:
    text = text.translate(_ZERO_WIDTH)
    for odd, repl in _TO_NBSP.items():
        text = text.replace(odd, repl)
    text = _ODD_SPACES.sub(" ", text)
    # A run mixing spaces and NBSP was meant not to break: keep one NBSP.
    if NBSP in text:
        text = _SPACE_RUN.sub(lambda m: NBSP if NBSP in m.group(0) else " ", text)
    elif "  " in text:
        text = _SPACES.sub(" ", text)  # the same without NBSP: each run becomes one space
    if "\n" in text:
        text = _AROUND_NEWLINE.sub("\n", text)
    return text.strip(" \u00a0\n\r")


def _csv_residue(text: str) -> str:
    """Undo CSV quoting left in a value: a FINESS name arrives wrapped in quotes
    with its inner quotes doubled, EHPAD ""LES CEDRES"" inside "…".

    Some national extracts (FINESS) carry it in their names; a doubled
    straight quote is never meant to be printed."""
    if '""' not in text:
        return text
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        text = text[1:-1]
    return text.replace('""', '"')


# The rules of french(), compiled once.  Each runs only when the characters it
# needs are in the text (most values have no quote, colon or digit): a rule
# that cannot match is skipped, so the result is the same, only sooner.
_DIGIT = re.compile(r"\d")
_ELLIPSIS = re.compile(r"\.{3,}")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_CURLY_QUOTES = re.compile(r"“([^“”]*)”")
_OPENING = re.compile(r"«[ \u00a0]*")
_CLOSING = re.compile(r"[ \u00a0]*»")
_HIGH_PUNCT = re.compile(r"(?<=[^\s(\[«\u00a0])[ \u00a0]*([;!?]+)")
_SPACED_COLON = re.compile(r"(?<=[^\s(\[«\u00a0])[ \u00a0]+:")
_GLUED_COLON = re.compile(r"(?<=[^\s(\[«\u00a0:]):(?=\s|$)")
_NUMERO = re.compile(r"\b([nN])°[ \u00a0]*(?=\d)")
_HOURS_MINUTES = re.compile(r"(?<![\w.,])(\d{1,2})[ \u00a0]?h[ \u00a0]?(\d{2})(?![\d\w])")
_HOURS = re.compile(r"(?<![\w.,])(\d{1,2})[ \u00a0]?h(?![\w])")
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:[ \u00a0]\d{3})+)(?![\d])")
_NUMBER_UNIT = re.compile(r"(\d)[ \u00a0]+(" + _UNITS + r")(?![\w²³])")
_PERCENT_EURO = re.compile(r"(\d)[ \u00a0]?([%€])")


def french(text: str) -> str:
    """Print-ready French text: spaces, apostrophes, quotes, ellipsis.

    Idempotent: ``french(french(s)) == french(s)``.  URLs and e-mail
    addresses are left exactly as they are."""
    if not text:
        return "" if text is None else text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _csv_residue(text)
    text, kept = _protect(text)
    text = _spaces(text)

    # Ellipsis: three or more dots; a space before it is not French.
    if "..." in text:
        text = _ELLIPSIS.sub("…", text)
    # Apostrophe between letters (aujourd'hui, l'école) → ’.
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)

    # Straight double quotes → « » only when they pair up; an odd count is
    # a typo (or inches) we cannot read safely.
    if text.count('"') >= 2 and text.count('"') % 2 == 0:
        parts = text.split('"')
        out = [parts[0]]
        for i, part in enumerate(parts[1:]):
            out.append("«" if i % 2 == 0 else "»")
            out.append(part)
        text = "".join(out)
    # Curly English quotes, when paired, are French quotes too.
    if "“" in text:
        text = _CURLY_QUOTES.sub(r"«\1»", text)
    # NBSP inside « », whatever space (or none) was there.
    if "«" in text:
        text = _OPENING.sub("«" + NBSP, text)
    if "»" in text:
        text = _CLOSING.sub(NBSP + "»", text)

    # NBSP before ; ! ? (a run like ?! gets one space), not at the very start
    # nor after an opening bracket.
    if ";" in text or "!" in text or "?" in text:
        text = _HIGH_PUNCT.sub(NBSP + r"\1", text)
    # Colon: not in times (12:30) or anything glued on both sides (a:b);
    # a colon followed by a space or the end is punctuation.
    if ":" in text:
        text = _SPACED_COLON.sub(NBSP + ":", text)
        text = _GLUED_COLON.sub(NBSP + ":", text)

    if _DIGIT.search(text) is None:
        return _restore(text, kept)  # the rules below are all about numbers
    # n° 12, N°12
    if "°" in text:
        text = _NUMERO.sub(r"\1°" + NBSP, text)
    # Hours: 8h30, 8 h 30, 12h, 24h/24 → 8 h 30 with NBSP.
    if "h" in text:
        text = _HOURS_MINUTES.sub(r"\1" + NBSP + "h" + NBSP + r"\2", text)
        text = _HOURS.sub(r"\1" + NBSP + "h", text)
    # Thousands: 1 500, 12 000 (a plain space between groups of digits).
    text = _THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(" ", NBSP), text)
    # Number and unit: 3 km, 250 m²; % and € get their space even if glued.
    text = _NUMBER_UNIT.sub(r"\1" + NBSP + r"\2", text)
    if "%" in text or "€" in text:
        text = _PERCENT_EURO.sub(r"\1" + NBSP + r"\2", text)

    return _restore(text, kept)


# ---------------------------------------------------------------------------
# upper_fr()


def upper_fr(text: str) -> str:
    """Upper case keeping accents, as French typography wants ('École' → 'ÉCOLE', 'œ' → 'Œ')."""
    if not text:
        return text
    # NFC first so a decomposed 'e' + accent stays one accented capital.
    return unicodedata.normalize("NFC", text).upper()


# ---------------------------------------------------------------------------
# smart_title()

# Words kept lower case except at the start of a name.
SMALL_WORDS = frozenset("DE DU DES LA LE LES ET EN SUR SOUS AUX AU A À PRES PRÈS LES LÈS LEZ POUR PAR D L".split())
ARTICLES = frozenset({"LE", "LA", "LES", "L"})

# Acronyms and legal forms kept in capitals.
ACRONYMS = frozenset(
    """
    EHPAD EHPA USLD CH CHU CHI CHS CHRU CHG CLCC SSR SMR HAD HDJ SSIAD SAAD SPASAD SAD SAMSAH SAVS
    SESSAD CMP CMPP CATTP CAMSP CSAPA CAARUD CHRS CADA LHSS ACT MECS ITEP DITEP IME IEM MAS FAM
    ESAT SAJ FJT MARPA MAPA PUV RPA AEMO MJPM TSA LBM MSP CPTS EFS IRM PMI CLIC CCAS CIAS UDAF
    UNAF URAF ADMR APF UNA ADAPEI APAJH ADSEA ANEF GCS IFSI IFAS CRF SSU SAMU SMUR SDIS CPAM
    CAF MSA CARSAT URSSAF CPH EPCI MJC CIO CDAD ADIL MDPH MDA PIJ BIJ CROUS GRETA MFR CFA CFPPA
    IUT BTS LP LGT LPO SEGPA EREA ULIS RPI EPLEFPA INSPE CNED UFR
    SELARL SELAS SELAFA SELCA SARL SAS SASU EURL SCI SCM SCP SNC SA GIE SEM SPL EPIC EPA
    SNCF TER RATP ONF ZA ZI ZAC RN RD BM BDP CDI HU
    """.split()
)


def _sigles() -> frozenset[str]:
    """Acronyms of the reviewable table annuaire/data/nettoyage/sigles.csv
    ('AEMO ARPFE', 'SDRE' in FINESS names), kept in capitals too."""
    import csv
    from importlib import resources

    path = resources.files("annuaire.data").joinpath("nettoyage", "sigles.csv")
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines())
    return frozenset(r["sigle"].strip().upper() for r in rows if r["sigle"].strip())


ACRONYMS = ACRONYMS | _sigles()
_ROMAN = re.compile(r"^(?:II|III|IV|VI|VII|VIII|IX|XI|XII|XIII|XIV|XV|XVI|XVII|XVIII|XIX|XX|XXI|XXIII)$")

# Common words of these datasets, by their accentless capitals: printed in
# lower case (except at the start) with their accents.  Only words whose
# accented form is certain belong here (no MARCHE: marché or marche?).
_COMMON_LIST = """
école écoles élémentaire élémentaires primaire maternelle maternelles publique public publics publiques
privée privé privées privés collège collèges lycée lycées général générale généraux générales
technologique technologiques professionnel professionnelle professionnels polyvalent polyvalente agricole
enseignement adapté adaptée adaptés scolaire scolaires groupe institution institut cité supérieur supérieure
supérieures université universitaire études étudiants élèves classe classes section pédagogique
bibliothèque bibliothèques médiathèque médiathèques ludothèque musée musées cinéma cinémas théâtre
conservatoire musique danse arts salle salles fêtes fête polyvalente spectacle spectacles exposition
municipale municipal municipales intercommunale intercommunal départementale départemental
départementaux régionale régional régionaux communale communal prêt lecture archives culture
culturel culturelle sports sportif sportive loisirs gymnase piscine stade patinoire
centre centres hospitalier hospitalière hospitaliers hôpital hôpitaux clinique santé médical médicale
médicaux médicalisé médicalisée médico social sociale sociaux sociales médecin médecins médecine
pharmacie laboratoire analyses biologie dialyse cabinet dentaire imagerie radiologie cardiologie
pédiatrie psychiatrie psychiatrique gériatrie gériatrique gérontologique thérapeutique éducatif éducative
éducatifs éducation prévention dépistage consultation consultations urgence urgences soins infirmiers
infirmier infirmière infirmières rééducation réadaptation réinsertion insertion hébergement hébergements
établissement établissements résidence résidences foyer foyers maison maisons accueil aide aides
domicile service services personnes personne âgées âgés âgée âge handicapés handicapées handicapé
déficients enfants enfance adultes adulte adolescents jeunes jeunesse famille familles familial familiale
familiales logement logements travailleurs travailleuses jour nuit repos retraite unité unités annexe
antenne site siège secondaire spécialisé spécialisée spécialisés spécialisées équipe mobile temporaire
accompagnement stabilisation protégés protégé mandataire prestataire maintien habitat autonomie vie
travail emploi occupationnel occupationnelle médiation écoute thermes thermal thermale mutualiste
propharmacie crèche crèches garderie halte relais assistantes petite périscolaire cantine restaurant
restauration bureau agence postale pôle pôles espace équipement activités activité solidarité société
crédit association fédération délégation direction comité ligue amicale club vacances colonie
préfecture mairie gendarmerie brigade commissariat police tribunal judiciaire proximité administratif
finances impôts entreprises particuliers douanes trésorerie trésor chambre métiers métier artisanat
commerce industrie agriculture énergie environnement économie économique développement aménagement
communauté communes département région sécurité tourisme office syndicat initiative arrêt parking
déchèterie déchetterie déchets tri recyclage ex garçons filles présentation formation
opératoire bloc soignants soignant secours église château cathédrale rivière vallée forêt
bâtiment hôtel
""".split()
COMMON_WORDS: dict[str, str] = {}
for _w in _COMMON_LIST:
    _k = "".join(c for c in unicodedata.normalize("NFD", _w.upper()) if not unicodedata.combining(c))
    COMMON_WORDS[_k] = _w

# Words that name a place after 'de la', 'du', 'des': 'Pharmacie de la Gare'
# (those not in COMMON_WORDS are capitalised anyway, as names: many are
# also surnames, 'Pharmacie Fontaine').
LOCATIVE = frozenset(
    "GARE PLACE POSTE HALLE HALLES EGLISE FONTAINE PONT CROIX CHATEAU PORT PARC TOUR CATHEDRALE "
    "BASILIQUE PLAGE RIVIERE MONTAGNE VALLEE PLAINE BOURG VILLAGE PLATEAU COLLINE MAIRIE FORET".split()
)

# Proper names (people, places of the territory) whose accents are certain.
PROPER_WORDS: dict[str, str] = {}
for _w in """
Étienne Éloy François André Geneviève Hélène Jérôme Benoît Thérèse Léger Émile Édouard Eugène
Élisabeth Irène Joséphine Léon Léonard Médard Noël René Sébastien Stéphane Clément Frédéric Gérard
Hervé Cécile Philomène Jaurès Prévert Molière Fénelon Galilée Sacré Cœur Chœur Pélagie Désiré
Montluçon Néris Châtaigneraie Dôme Dômes Cézallier Cévennes Semène Genêts Cèdres Érables Primevères
Aubière Aubières Cébazat Chamalières Châtel Châteaugay Châteauneuf Domérat Désertines Pérignat
Ménétrol Échassières Ébreuil Étroussat Égliseneuve Ferrières Mézenc Lemptégy Renouée
Hêtres Chênes Bruyères Sapinière
""".split():
    _k = "".join(c for c in unicodedata.normalize("NFD", _w.upper()) if not unicodedata.combining(c))
    PROPER_WORDS[_k.replace("Œ", "OE")] = _w


def _plain(word: str) -> str:
    """Accentless capitals, the dictionaries' key ('SANTÉ' → 'SANTE', 'CŒUR' → 'COEUR')."""
    word = word.upper().replace("Œ", "OE").replace("Æ", "AE")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _is_mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    lower = sum(1 for c in letters if c.islower())
    # A stray lower-case letter ('EHPAD LES CEDRES 2e étage') still counts.
    return lower <= max(1, len(letters) // 20)


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


_TOKEN = re.compile(r"[^\W\d_]+(?:[\d]+[^\W\d_]*)*|\d+[^\W_]*|[’']|\s+|.", re.UNICODE)


def _case_word(word: str, start: bool, opens: bool, prev_kind: str | None, next_is_word: bool) -> tuple[str, str]:
    """One word's printed form and its kind: 'acronym', 'small', 'article', 'common', 'proper', 'other'.

    ``start``: the word begins the name (or a part after ' - ', a quote…);
    ``opens``: only acronyms precede it ('EHPAD Résidence…'), so a common
    word is capitalised but a small word is not ('CH de Néris')."""
    key = _plain(word)
    if any(c.isdigit() for c in word):
        return word, "other"
    if key in ACRONYMS or _ROMAN.match(key):
        return word.upper(), "acronym"
    if key in ARTICLES and not start and prev_kind in ("common", "acronym"):
        # 'Maison de repos Les Genêts': an article after a common noun opens a name.
        return _cap(word.lower()), "article"
    if key in SMALL_WORDS:
        if key == "A":
            # A lone 'A' between words is the preposition à, accent lost in capitals.
            if start:
                return ("À" if next_is_word else "A"), "small"
            return ("à" if next_is_word else "A"), "small"
        if start:
            return _cap(word.lower()), "small"
        return word.lower(), "small"
    if key in PROPER_WORDS:
        return PROPER_WORDS[key], "proper"
    if key in COMMON_WORDS:
        form = COMMON_WORDS[key]
        if start or opens or prev_kind == "article" or (key in LOCATIVE and prev_kind == "small"):
            return _cap(form), "common"
        return form, "common"
    if len(word) == 1:
        return word.upper(), "proper"
    return _cap(word.lower()), "proper"


def smart_title(text: str) -> str:
    """Readable French capitalisation for an ALL-CAPS name; other text unchanged.

    'ECOLE ELEMENTAIRE PUBLIQUE' → 'École élémentaire publique',
    'EHPAD LES CEDRES' → 'EHPAD Les Cèdres', 'PHARMACIE DE LA GARE' →
    'Pharmacie de la Gare', 'CH DE NERIS LES BAINS' → 'CH de Néris les Bains'.
    Small words stay lower case except at the start, acronyms and legal
    forms stay in capitals, common words of the dictionary are lower case
    with their accents, other words (names) are capitalised."""
    if not text or not _is_mostly_upper(text):
        return text
    tokens = _TOKEN.findall(unicodedata.normalize("NFC", text))
    out: list[str] = []
    start = True  # next word begins the name (string start, after ' - ', quotes, brackets)
    only_acronyms = True  # every word so far is an acronym: the next one opens the name
    prev_kind: str | None = None
    words_idx = [i for i, t in enumerate(tokens) if t[:1].isalpha()]
    for i, tok in enumerate(tokens):
        if tok[:1].isalpha():
            nxt = [j for j in words_idx if j > i]
            next_is_word = bool(nxt) and all(not tokens[k].strip() for k in range(i + 1, nxt[0]))
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            key = _plain(tok)
            # Elision: D'… L'… written with an apostrophe, or 'D ARC' with the
            # apostrophe lost: a lone D or L before a vowel or h.
            elided = following in ("'", "’")
            lost = (
                key in ("D", "L")
                and not elided
                and next_is_word
                and not start
                and _plain(tokens[nxt[0]])[:1] in "AEIOUYH"
            )
            if elided or lost:
                if key in ARTICLES and not start and prev_kind in ("common", "acronym"):
                    form, kind = _cap(tok.lower()), "article"
                else:
                    form = _cap(tok.lower()) if start else tok.lower()
                    kind = "article" if (start and key in ARTICLES) else "small"
                out.append(form + "’")
                if lost:
                    # Swallow the space that stood for the apostrophe.
                    tokens[i + 1 : nxt[0]] = [""] * (nxt[0] - i - 1)
                prev_kind = kind
                only_acronyms = False
                # The elided word attaches to the next one; 'start' carries over
                # only for an article ('L’Escale'), not for 'd’'.
                start = kind == "article"
                continue
            opens = only_acronyms and not start
            form, kind = _case_word(tok, start, opens, prev_kind, next_is_word)
            if len(tok) == 1 and following == ".":
                form, kind = tok.upper(), "acronym"  # an initial: 'A.D.S.E.A.', 'J. Moulin'
            elif kind == "proper" and prev_kind == "common" and i > 0 and tokens[i - 1] == "-":
                form = form.lower()  # second half of a common compound: 'aides-soignants'
                kind = "common"
            if start and kind == "small" and key in ARTICLES:
                kind = "article"  # 'Les Cèdres' at the start: the next word is a name
            out.append(form)
            only_acronyms = only_acronyms and kind == "acronym"
            start = False
            prev_kind = kind
        elif tok in ("'", "’"):
            continue  # already written with the elided word
        else:
            out.append(tok)
            if tok.strip() and not tok[:1].isdigit():
                # Separators that open a new name: ' - ', quotes, brackets, colon.
                if tok in '-–—"«“(/:':
                    if tok in "-–—" and (i == 0 or tokens[i - 1].strip()):
                        continue  # hyphen inside a compound: 'Rousseau-Penneroux'
                    start = True
                    only_acronyms = True
            elif tok[:1].isdigit():
                prev_kind = "other"
    return "".join(out)


# ---------------------------------------------------------------------------
# finish()

# One search tells whether a string needs any of the work below (most do not).
_FINISH_TRIGGER = re.compile(r"['«»;:!?]|(?:^|\s)-(?:\s|$)|\d(?:er|re|e|ème|eme)\b|\b[IVX]{2,}e\b")
_ORD_HINT = re.compile(r"[\dIVX][eèr]")
_APOS_BETWEEN = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_DASH_SEP = re.compile(r"(?:(?<=\s)|^)-(?=\s|$)")
_DANGLING = re.compile(r"(?<=\S)\s+–\s*$")
_BEFORE_PUNCT = re.compile(r"(?<=[^\s(\[«\u00a0\u202f])[ \u00a0\u202f]*([;!?]+)")
_BEFORE_COLON = re.compile(r"(?<=[^\s(\[«\u00a0\u202f])[ \u00a0\u202f]+:")
_OPEN_Q = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_Q = re.compile(r"[ \u00a0\u202f]*»")
_ORD_1 = re.compile(r"(?<![\w.,])1(er|re)(?![\w])")
_ORD_N = re.compile(r"(?<![\w.,])(\d{1,4}|[IVX]{2,}|[VX])(?:e|ème|eme)(?![\w])")


def finish(text: str, narrow: str = NNBSP) -> str:
    """The printed form of any text: see the module docstring.

    ``narrow`` is the narrow no-break space to use (U+202F; U+00A0 for a
    face that lacks it).  Idempotent; e-mails and URLs are left as they are."""
    if not text:
        return text
    # Cheap tests first: most strings need nothing (this runs on every one).
    if not (
        "'" in text
        or "«" in text
        or "»" in text
        or ";" in text
        or ":" in text
        or "!" in text
        or "?" in text
        or " -" in text
        or "- " in text
        or _ORD_HINT.search(text)
    ):
        return text
    if not _FINISH_TRIGGER.search(text):
        return text
    text, kept = _protect(text)
    if "'" in text:
        text = _APOS_BETWEEN.sub("’", text)
    if "-" in text:
        text = _DASH_SEP.sub("–", text)
        # A separator left dangling at the end (« S.A.J. - ( A.N.E.F. ) - »).
        text = _DANGLING.sub("", text)
    if ";" in text or "!" in text or "?" in text:
        text = _BEFORE_PUNCT.sub(narrow + r"\1", text)
    if ":" in text:
        text = _BEFORE_COLON.sub(narrow + ":", text)
    if "«" in text:
        text = _OPEN_Q.sub("«" + narrow, text)
    if "»" in text:
        text = _CLOSE_Q.sub(narrow + "»", text)
    if "1" in text:
        text = _ORD_1.sub(lambda m: "1ᵉʳ" if m.group(1) == "er" else "1ʳᵉ", text)
    text = _ORD_N.sub(lambda m: m.group(1) + "ᵉ", text)
    return _restore(text, kept)
