"""``python manage.py bench``: the national-scale benchmark; see ``bench``.

Builds the dataset in its own database (``<name>_bench`` on the PostgreSQL server of ``DATABASE_URL``,
or a temporary SQLite file), measures pages, PDFs, the deadline sweep and throughput under gunicorn,
prints a Markdown table and writes it to ``var/bench/latest.md``. The database is dropped at the end.
"""

import gc
from pathlib import Path
from time import perf_counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from bench import dataset, load, measure, report
from bench.database import bench_database, describe
from bench.scale import SCALES


class Command(BaseCommand):
    help = "Build a national-scale dataset in a separate database, measure the portal and write var/bench/latest.md."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="national", help="dataset size")
        parser.add_argument("--skip-load", action="store_true", help="do not run the gunicorn throughput test")
        parser.add_argument("--repeats", type=int, help="timed runs per page (default: the scale's)")
        parser.add_argument(
            "--output", default=str(Path(settings.VAR_DIR) / "bench" / "latest.md"), help="where to write the report"
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The benchmark is not run with DJANGO_ENV=production.")
        scale = SCALES[options["scale"]]
        repeats = options["repeats"] or scale.repeats
        started = perf_counter()
        # The measuring process behaves like the server: no debug, no second factor for the bench users.
        with (
            override_settings(
                DEBUG=False,
                TWO_FACTOR_REQUIRED_ROLES=[],
                ALLOWED_HOSTS=["testserver", "127.0.0.1"],
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ),
            bench_database() as name,
        ):
            database = describe()
            self.progress(f"Bench database ready ({database}); building the {scale.name} dataset…")
            data = dataset.build(scale)
            self.progress(f"Dataset built in {data.seconds:.0f} s: {data.counts}")
            # What building the dataset left in this process (a server's worker holds none of it) is
            # kept out of the garbage collector's passes, which would otherwise walk it mid-measure.
            gc.collect()
            gc.freeze()
            figures = measure.measure_pages(data, scale, repeats, self.progress)
            figures += measure.measure_pdfs(data, scale, scale.pdf_repeats, self.progress)
            figures += measure.measure_sweep(data, scale.sweep_repeats, self.progress)
            if options["skip_load"]:
                figures += list(load.load_figures(scale, note="skipped (`--skip-load`)").values())
            else:
                self.progress("Load test under gunicorn…")
                figures += load.measure_load(data, scale, name, self.progress)
        text = report.render(
            figures,
            scale=scale,
            data=data,
            machine=report.machine(database),
            seconds=perf_counter() - started,
            repeats=repeats,
            skipped_load=options["skip_load"],
        )
        path = report.write(text, options["output"])
        self.stdout.write(text)
        self.stdout.write(self.style.SUCCESS(f"Written to {path}"))

    def progress(self, message):
        self.stderr.write(message)
