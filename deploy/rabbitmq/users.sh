#!/bin/sh
# MQTT users of the production broker and what each may do (docs/deploy.md §3).
# Run inside the rabbitmq container, passwords from the environment (.env):
#   docker compose exec rabbitmq sh /etc/rabbitmq/users.sh
# Safe to re-run: existing users get their password and permissions set again.
# MQTT topics map to routing keys on amq.topic with '/' and '.' swapped, so the
# topic ioc/hq/gate/east is the routing key ioc.hq.gate.east.
set -eu
CTL=${RABBITMQ_CTL:-rabbitmqctl}

user() {  # name password
    $CTL -q add_user "$1" "$2" 2>/dev/null || $CTL -q change_password "$1" "$2"
}

# The consumer: its session queues (mqtt-subscription-<client id>qos1) and reads ioc/#.
user consumer "$MQTT_CONSUMER_PASSWORD"
$CTL -q set_permissions -p / consumer '^mqtt-subscription-.*' \
    '^(amq\.topic|mqtt-subscription-.*)$' '^(amq\.topic|mqtt-subscription-.*)$'
$CTL -q set_topic_permissions -p / consumer amq.topic '^$' '^ioc\..*'

# Publishers: write ioc/# (simulator), camera and status topics (cameras).
user simulator "$MQTT_SIMULATOR_PASSWORD"
$CTL -q set_permissions -p / simulator '^$' '^amq\.topic$' '^$'
$CTL -q set_topic_permissions -p / simulator amq.topic '^ioc\..*' '^$'
user cameras "$MQTT_CAMERAS_PASSWORD"
$CTL -q set_permissions -p / cameras '^$' '^amq\.topic$' '^$'
$CTL -q set_topic_permissions -p / cameras amq.topic \
    '^ioc\.[^.]+\.(camera|status)(\..*)?$' '^$'

# One user per site gateway, named after the site id: writes ioc/<site id>/# only.
for site in ${IOC_SITE_USERS:-}; do
    password=$(printenv "MQTT_SITE_PASSWORD_$site")
    user "$site" "$password"
    $CTL -q set_permissions -p / "$site" '^$' '^amq\.topic$' '^$'
    $CTL -q set_topic_permissions -p / "$site" amq.topic '^ioc\.{username}\..*' '^$'
done
