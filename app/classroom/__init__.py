"""Classes a teacher leads: rooms, their state, challenges and boards, kept in a store (SQLite or
Redis). Knows no HTTP: app/web/classroom.py is the thin layer over it (docs/classroom.md)."""
