FROM python:3.11-slim
WORKDIR /srv/crosscheck
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
COPY alembic.ini ./
COPY fixtures ./fixtures
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["sh", "-c", "crosscheck setup && crosscheck serve --host 0.0.0.0 --port 8000"]
