"""`python print_worker.py <job id>`: the print worker process (started by models.printing.jobs.start_job).

The one place outside app.py that makes the app for a print job, so that models never import it.
"""
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python print_worker.py <job id>", file=sys.stderr)
        return 2
    from app import create_app
    from models.printing.worker import run_by_id

    app = create_app({"AUTO_MIGRATE": False})
    with app.app_context():
        return run_by_id(int(argv[1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
