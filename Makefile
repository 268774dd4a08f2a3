.PHONY: run test bench vendor

run:  ## set up and run the portal with demo data on http://127.0.0.1:8000
	scripts/run.sh

test:  ## set up and run every test
	scripts/test.sh

bench:  ## national-scale benchmark; writes var/bench/latest.md
	scripts/setup.sh && DJANGO_ENV=development .venv/bin/python manage.py bench

vendor:  ## refresh GOV.UK Frontend, htmx and accessible-autocomplete from the npm registry
	scripts/vendor-frontend.sh
