"""Every change to mentors' records goes through these services and is audited."""
