# One image for the consumer, the simulator and the dashboard (docker-compose.yml
# picks the command). Production servers are separate containers; the embedded
# servers in requirements.txt are unused here.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/tmp/matplotlib

# Briefing PDFs embed Noto Sans CJK (docs/briefing.md): the only system package.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin ioc \
    && mkdir -p /app/run && chown ioc /app/run
USER ioc

EXPOSE 8050
CMD ["python", "-m", "dashboard"]
