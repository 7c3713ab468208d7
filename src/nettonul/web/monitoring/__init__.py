"""Plan check, monitoring, yearly reports and the public dashboard of an organisation."""
