"""Join codes a class reads aloud, and the teacher's key, kept only as its hash."""

import hashlib
import hmac
import secrets

# no 0/O, 1/I/L: a code read from a projector across a room cannot be misread
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


def new_code() -> str:
    """A random join code: 31⁶ ≈ 887 million of them, so a walk through them is hopeless."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normal_code(text: str) -> str | None:
    """The code `text` names (any case, spaces and dashes ignored), or None if it cannot be one."""
    code = text.strip().upper().replace("-", "").replace(" ", "")
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def new_key() -> str:
    return secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(key: str | None, stored_hash: str) -> bool:
    """Whether `key` is the class's, compared in constant time."""
    if not key or len(key) > 200:
        return False
    return hmac.compare_digest(key_hash(key), stored_hash)
