#!/bin/sh
# Makes the certificates of the TLS fault tests in DIR with the openssl CLI:
# a throwaway CA (ca.pem, its key discarded), a certificate it signed for
# another host name (other-host.pem, other-host-key.pem) and an expired
# one for 127.0.0.1 (expired.pem, expired-key.pem). Run at test time into
# a temporary directory; the demo certificates next to it stay untouched.
# usage: make-fault-certs.sh DIR
set -eu

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: make-fault-certs.sh DIR (an existing directory)" >&2
    exit 2
fi
out=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT HUP INT TERM
umask 077

openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -nodes -keyout "$work/ca-key.pem" -out "$work/ca.pem" -days 2 \
    -subj "/O=bezala tests/CN=bezala fault-test CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

# sign NAME SAN DAYS: a server certificate signed by the CA; DAYS -1 makes
# one whose end date is a day before its start, so it has expired.
sign() {
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$work/$1-key.pem" -out "$work/$1.csr" \
        -subj "/O=bezala tests/CN=$1" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" "subjectAltName=$2" >"$work/$1.cnf"
    openssl x509 -req -in "$work/$1.csr" -CA "$work/ca.pem" \
        -CAkey "$work/ca-key.pem" -CAcreateserial -days "$3" -sha256 \
        -extfile "$work/$1.cnf" -out "$work/$1.pem" 2>/dev/null
    cp "$work/$1.pem" "$work/$1-key.pem" "$out/"
}

sign other-host "DNS:other-host.invalid" 2
sign expired "IP:127.0.0.1,DNS:localhost" -1
cp "$work/ca.pem" "$out/ca.pem"
chmod 0644 "$out"/*.pem
