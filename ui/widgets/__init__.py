"""Field widgets that know the domain: code tables, ID numbers, dates, divisions."""
