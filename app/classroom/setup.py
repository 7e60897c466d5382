"""Which store a server keeps its classes in, and the two objects that serve them."""

from app.classroom.board import Boards
from app.classroom.live import Classroom, Limits
from app.classroom.sqlite_store import SQLiteStore
from app.classroom.store import Store
from app.config import Settings
from app.web.hub import Hub

DATABASE = "classes.sqlite3"


def open_classes(settings: Settings, hub: Hub) -> tuple[Classroom, Boards]:
    """Redis when LAYERWARP_REDIS_URL is set (replicas share classes), else SQLite on disk."""
    keep_s = settings.class_keep_days * 86400
    idle_s = settings.class_idle_hours * 3600
    store: Store
    if settings.redis_url:
        from app.classroom.redis_store import RedisStore  # only deployments with Redis need it

        store = RedisStore(settings.redis_url, keep_s=idle_s + keep_s)
    else:
        store = SQLiteStore(settings.data_dir / DATABASE)
    limits = Limits(idle_s, settings.class_max_rooms, settings.class_max_students, keep_s)
    classroom = Classroom(store, limits)
    boards = Boards(
        classroom,
        hub,
        max_entries=settings.class_max_entries,
        cpu_s=settings.class_submission_cpu_s,
        trainings=settings.compute_processes,
    )
    return classroom, boards
