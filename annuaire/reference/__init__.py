"""Reference data as code: Annex 1 (taxonomy), the gazetteer of communes and EPCI (geo), the registry of data providers (sources)."""
