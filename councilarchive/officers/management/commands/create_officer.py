"""`manage.py create_officer USERNAME [--email E]`: an admin account in the Officers group.

The password is asked for twice at the prompt (or read from the environment variable
OFFICER_PASSWORD, for scripted set-up); Django's password validators apply. Officers can upload
and correct papers in the admin, and nothing else: they cannot manage users.
"""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset the password of) an admin account in the Officers group."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        try:
            group = Group.objects.get(name="Officers")
        except Group.DoesNotExist as error:
            raise CommandError("The Officers group is missing: run `manage.py migrate`.") from error
        password = os.environ.get("OFFICER_PASSWORD") or self._prompt()
        user = User.objects.filter(username=username).first() or User(username=username)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        created = user.pk is None
        user.email = email or user.email
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} officer {username!r}: log in at /admin/.")

    def _prompt(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords did not match.")
        return first
