# egressmap allowlist for manifest world-fmt, run 20261129T055457.098Z.
# Written by egressmap from the run's snapshot; do not edit: the next run replaces it.
# Load on the router: /import file-name=allowlist.rsc (replaces each list below).
/ip firewall address-list
remove [find list=world_fmt_v4_tcp80]
add list=world_fmt_v4_tcp80 address=2.16.10.10/31 comment="r10.c.lencr.org r11.c.lencr.org - CRLs Let s Encrypt"
remove [find list=world_fmt_v4_tcp443]
add list=world_fmt_v4_tcp443 address=17.0.0.0/8 comment="apple 17.0.0.0/8 - Apple push and services"
add list=world_fmt_v4_tcp443 address=23.45.67.89/32 comment="7-courier.push.apple.com - APNs couriers"
add list=world_fmt_v4_tcp443 address=45.60.20.1/32 comment="www.world.test - A chain across three zones"
add list=world_fmt_v4_tcp443 address=45.60.20.2/32 comment="www.world.test - A chain across three zones"
add list=world_fmt_v4_tcp443 address=104.18.23.1/32 comment="acme.iru.com - Web app access"
remove [find list=world_fmt_v4_tcp5223]
add list=world_fmt_v4_tcp5223 address=17.0.0.0/8 comment="apple 17.0.0.0/8 - Apple push and services"
add list=world_fmt_v4_tcp5223 address=23.45.67.89/32 comment="7-courier.push.apple.com - APNs couriers"
/ipv6 firewall address-list
remove [find list=world_fmt_v6_tcp80]
remove [find list=world_fmt_v6_tcp443]
add list=world_fmt_v6_tcp443 address=2a05:d014:20::1/128 comment="www.world.test - A chain across three zones"
remove [find list=world_fmt_v6_tcp5223]
