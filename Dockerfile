# syntax=docker/dockerfile:1
# Layerwarp in a container, installed the way a user installs it: from the built wheel, which
# carries app/static and app/templates (no source folders are copied into the image). After
# FastAPI's container guidance: slim Python, dependencies in their own cached layer, a non-root
# user, a HEALTHCHECK on /healthz, and an exec-form CMD so the server gets SIGTERM itself;
# LAYERWARP_GRACEFUL_SHUTDOWN_S cuts open event streams instead of waiting for them.

# --- build: the dependencies' wheels, then Layerwarp's own ---------------------------------
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src

# Dependencies from pyproject.toml alone, so a code change does not download them again.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > requirements.txt \
    && pip wheel --wheel-dir /deps -r requirements.txt

COPY README.md ./
COPY app ./app
COPY layerwarp ./layerwarp
COPY static ./static
COPY templates ./templates
RUN pip wheel --no-deps --wheel-dir /dist .

# --- run: the slim image with the wheels installed, nothing else of the build ---------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LAYERWARP_HOST=0.0.0.0 \
    LAYERWARP_PORT=8000

# bind mounts, not COPY: the wheels never become a layer of the image
RUN --mount=type=bind,from=build,source=/deps,target=/deps \
    pip install --no-index /deps/*.whl
RUN --mount=type=bind,from=build,source=/dist,target=/dist \
    pip install --no-index --no-deps /dist/*.whl

RUN useradd --system --uid 10001 --create-home layerwarp
USER layerwarp
WORKDIR /home/layerwarp

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]

# One worker uses every CPU through its training pool (LAYERWARP_COMPUTE_PROCESSES); set
# LAYERWARP_WORKERS only to spread the event loops.
CMD ["layerwarp", "serve"]
