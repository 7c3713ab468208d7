"""Accounts: login and logout, the account page with its API tokens, and an organisation's
members and their roles (the pages under ``/login/``, ``/account/`` and
``/organisations/<id>/members/``, URL names ``public:login``, ``public:account``, ...), and
the ``load_demo`` management command that creates the demo data and its logins.

May import: ``organisations`` (memberships, roles, permissions), ``api`` (the token model
and its services), ``nettonul.web.demo`` and the web package's shared modules (``errors``).
Nothing imports this app but the URL map.
"""
