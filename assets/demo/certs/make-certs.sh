#!/bin/sh
# Regenerates the demo TLS certificates for bezala-sim with the openssl CLI:
# a demo CA (its private key is thrown away) and a server certificate for
# 127.0.0.1, ::1 and localhost, each valid for about ten years.
set -eu

dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT HUP INT TERM
umask 077

openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -nodes -keyout "$work/ca-key.pem" -out "$work/ca.pem" -days 3650 \
    -subj "/O=bezala demo/CN=bezala demo CA (not for production)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$work/server-key.pem" -out "$work/server.csr" \
    -subj "/O=bezala demo/CN=127.0.0.1"

cat > "$work/ext.cnf" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT

openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" \
    -CAkey "$work/ca-key.pem" -CAcreateserial -days 3649 -sha256 \
    -extfile "$work/ext.cnf" -out "$work/server.pem"

openssl verify -CAfile "$work/ca.pem" "$work/server.pem" >/dev/null

# The server key is a demo key, published with the repository on purpose.
cp "$work/ca.pem" "$dir/ca.pem"
cp "$work/server.pem" "$dir/server.pem"
cp "$work/server-key.pem" "$dir/server-key.pem"
chmod 0644 "$dir/ca.pem" "$dir/server.pem" "$dir/server-key.pem"
echo "wrote ca.pem, server.pem, server-key.pem in $dir (CA key discarded)"
