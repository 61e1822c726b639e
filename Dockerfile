# syntax=docker/dockerfile:1
# The reconciler image: the SDK and the ready-made reconcilers (colonies_home) in a virtualenv,
# run as a non-root user. `docker run IMAGE MODULE:CLASS` runs `colonies-sdk run MODULE:CLASS`;
# the Helm chart (charts/colonies-reconciler) passes the target as the container's args.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Build stage: install into /opt/venv; nothing of this stage but the venv reaches the image.
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY sdk ./sdk
COPY reconcilers ./reconcilers
RUN pip install --constraint constraints.txt ".[home]" \
    && colonies-sdk run --help > /dev/null

# Runtime stage: the same base (so the venv's interpreter path holds), the venv, a numeric
# non-root user (Kubernetes can only prove runAsNonRoot for a numeric UID), no build leftovers.
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 colonies \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin colonies
COPY --from=build /opt/venv /opt/venv
# HOME on /tmp: the chart mounts the root filesystem read-only with a writable emptyDir there.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    COLONIES_RECONCILER_HTTP_HOST=0.0.0.0 \
    COLONIES_RECONCILER_HTTP_PORT=8080
USER 10001:10001
WORKDIR /tmp
EXPOSE 8080
ENTRYPOINT ["colonies-sdk", "run"]
CMD ["--help"]
