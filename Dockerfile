# Production image for Beslutsarkivet: gunicorn serves the app, whitenoise the static files.
# The background task worker is the same image with another command (see README):
#   docker run … beslutsarkivet python manage.py db_worker
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# OCR and PDF rasterising for scanned minutes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-swe poppler-utils \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home app \
    && mkdir -p /data/media \
    && chown app:app /data/media

COPY . .

# Hashed, compressed static files for whitenoise. The key is a throwaway that exists only
# for this step (settings need some key to import); it is not in the final environment.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret DJANGO_STATIC_MANIFEST=1 \
    python manage.py collectstatic --noinput

# Runtime configuration comes from the environment: DATABASE_URL, DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS (+ DJANGO_CSRF_TRUSTED_ORIGINS behind HTTPS). Without a secret key
# the app refuses to start. WEB_CONCURRENCY sets gunicorn's worker count.
ENV DJANGO_REQUIRE_SECRET_KEY=1 \
    DJANGO_STATIC_MANIFEST=1 \
    DJANGO_MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

USER app
VOLUME ["/data/media"]
EXPOSE 8000

# Cheap liveness probe: gunicorn accepts connections (an HTTP probe would need a Host
# header from DJANGO_ALLOWED_HOSTS).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8000), timeout=4).close()"]

CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--timeout", "120", "--access-logfile", "-"]
