"""``django-admin load_demo``: the demo data (the same service as ``nettonul demo``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nettonul.web.demo import load_demo


class Command(BaseCommand):
    help = ("Load the 98 Danish municipalities with their Energi- og CO2-regnskab inventories, the example plans "
            "and a demo user per role (idempotent).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="*", help="Only these kommunekoder (all 98 by default).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo(codes=options["codes"] or None)
        self.stdout.write(f"added {result.organisations_created} organisations, {result.inventories_created} "
                          f"inventories, {result.plans_created} plans, {result.users_created} users")
        for login in result.logins:
            self.stdout.write(f"  {login['username']}  {login['password']}  ({login['role']})")
