"""``manage.py export_open_data --output DIR``: write the open data export (``api.open_data``) — the
approved plans' rows and the national analysis, with no personal data — for publication."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from api import open_data


class Command(BaseCommand):
    help = "Write the open data export (approved plans' rows and the national analysis) to --output DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="The directory to write into (made if missing).")

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        output.mkdir(parents=True, exist_ok=True)
        written = open_data.write(output)
        self.stdout.write(f"Wrote {len(written)} files to {output}:\n" + "\n".join(f"  {name}" for name in written))
