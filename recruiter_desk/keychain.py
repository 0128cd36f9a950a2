"""The OS keyring: whether it can really hold a secret (one test for the outbox password, the
mail account's password and the database key), and reading, keeping and dropping a secret
for the SMTP and IMAP passwords (docs/architecture.md: secrets never touch disk)."""

from __future__ import annotations

import contextlib


def keyring_usable() -> bool:
    """False where ``keyring`` has nothing real behind it (a headless box, a container)."""
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


def read_secret(service: str, account: str) -> str | None:
    """The secret kept for ``account``, or None (none kept, or no usable keyring)."""
    if not keyring_usable():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(service, account)
    except KeyringError:
        return None


def keep_secret(service: str, account: str, secret: str) -> bool:
    """Keep ``secret`` in the keyring; False where no keyring can hold it."""
    if not keyring_usable():
        return False
    import keyring
    from keyring.errors import KeyringError

    try:
        if keyring.get_password(service, account) != secret:
            keyring.set_password(service, account, secret)
    except KeyringError:
        return False
    return True


def drop_secret(service: str, account: str) -> None:
    """Forget the secret kept for ``account`` (a refused login asks again next time)."""
    if not keyring_usable():
        return
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    with contextlib.suppress(KeyringError, PasswordDeleteError):
        keyring.delete_password(service, account)
