"""Organisation relations, person ties and 以商招商 referrals (issue 8)."""
