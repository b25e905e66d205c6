"""Email backends that behave as mail servers do when things go wrong, for the outbox's
tests (selected through settings.MAILERS)."""

import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend


class Silent(BaseEmailBackend):
    """A server that accepts the connection and never answers: the timeout."""

    def send_messages(self, messages):
        raise TimeoutError("timed out")


class Refusing(BaseEmailBackend):
    """A server that is not there."""

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


class UnknownRecipient(BaseEmailBackend):
    """A server that refuses the address for good."""

    def send_messages(self, messages):
        address = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 User unknown")})


class Answering(BaseEmailBackend):
    """A server that answers: the messages land in django.core.mail.outbox."""

    def send_messages(self, messages):
        mail.outbox.extend(messages)
        return len(messages)


class AnsweringButUnknown(Answering):
    """A server that answers, but knows no inconnu@…"""

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].startswith("inconnu@"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 User unknown")})
        return super().send_messages(messages)


def server(settings, backend: str) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"tests.core.mailservers.{backend}"}}
