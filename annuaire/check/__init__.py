"""The checking stage: normalisers per kind of value, row validation, merging of duplicates, freshness of entries."""
