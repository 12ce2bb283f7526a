"""The domain: person and case models, ID numbers, code tables, divisions, names, rules. Pure Python."""
