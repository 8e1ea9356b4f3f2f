"""A SIP2 server (3M Standard Interchange Protocol 2.00) so that the self-check kiosks and RFID
stations schools buy can lend and take back through ThuVien: `protocol` reads and writes the
messages (fixed fields, variable fields, the AY sequence and AZ checksum), `acs` answers them
with the desk's own use cases, `server` is the TCP server (`manage.py sip2_server`)."""
