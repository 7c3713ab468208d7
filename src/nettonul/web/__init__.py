"""The nettonul web application (Django): pages, REST API and administration."""
