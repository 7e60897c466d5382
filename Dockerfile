# Layerwarp in a container, after FastAPI's container guidance: slim Python, dependencies in their
# own cached layer, a non-root user, a HEALTHCHECK on /healthz, and an exec-form CMD so uvicorn
# gets SIGTERM itself; --timeout-graceful-shutdown cuts open event streams instead of waiting.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/layerwarp

# Dependencies only (the project is installed, then removed, from a stub package), so a code
# change does not reinstall them. The app runs from this directory, where static/ and templates/
# sit beside app/ as Settings expects.
COPY pyproject.toml README.md ./
RUN mkdir app && touch app/__init__.py \
    && pip install . \
    && pip uninstall -y layerwarp \
    && rm -rf app build ./*.egg-info

COPY app ./app
COPY static ./static
COPY templates ./templates

RUN useradd --system --uid 10001 --no-create-home layerwarp
USER layerwarp

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]

# One worker uses every CPU through its training pool (LAYERWARP_COMPUTE_PROCESSES); add
# --workers only to spread the event loops.
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--timeout-graceful-shutdown", "5"]
