"""`flask --app app send-notices`: the SMS sender of notices to families, as its own process."""
import signal

import click
from flask import Flask

from models.core import db


def register_family_commands(app: Flask) -> None:
    @app.cli.command("send-notices")
    @click.option("--once", is_flag=True, help="Send what is due, read delivery states back, then stop.")
    @click.option("--poll", default=10.0, show_default=True, help="Seconds between two looks at the queue.")
    def send_notices(once, poll):
        """Send queued notices through the school's Android phone (SMS Gateway for Android)."""
        from models.families import sender

        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        with db.connection_context():
            sender.run(once=once, poll_seconds=poll, stop=lambda: bool(stopping), log=click.echo)
