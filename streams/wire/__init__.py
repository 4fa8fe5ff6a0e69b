"""The wire: event contracts, edge decoding, the MQTT client (the one owner of paho)."""
