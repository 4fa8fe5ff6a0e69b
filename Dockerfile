# One image for the consumer, the simulator and the dashboard (docker-compose.yml
# picks the command). Production servers are separate containers; the embedded
# servers in requirements.txt are unused here.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin ioc \
    && mkdir -p /app/run && chown ioc /app/run
USER ioc

EXPOSE 8050
CMD ["python", "-m", "dashboard"]
