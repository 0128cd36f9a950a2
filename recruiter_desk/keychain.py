"""Whether the OS keyring can really hold a secret: one test for the outbox password and the
database key (docs/architecture.md: secrets never touch disk)."""

from __future__ import annotations


def keyring_usable() -> bool:
    """False where ``keyring`` has nothing real behind it (a headless box, a container)."""
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)
