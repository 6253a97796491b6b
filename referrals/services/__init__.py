"""Every change to referrals goes through these services and is audited."""
