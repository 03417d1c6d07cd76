#!/usr/bin/env python3
"""Writes the broken captures of this folder (run it here; the outputs are committed).

Each file damages one thing that real captures get wrong; the reader must say
what and where (packet number), keep what can be read, and never crash.
"""
import struct


def tcp_frame(sport=1234, dport=80, flags=0x02, payload=b"", ip_total=None, data_offset=5, v6=False):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, data_offset << 4, flags, 65535, 0, 0)
    body = tcp + payload
    if v6:
        plen = len(body) if ip_total is None else ip_total
        ip = struct.pack("!IHBB", 6 << 28, plen, 6, 64) + bytes([0x20, 1, 0xd, 0xb8] + [0] * 11 + [1]) \
            + bytes([0x20, 1, 0xd, 0xb8] + [0] * 11 + [2])
        eth = b"\x02" * 6 + b"\x04" * 6 + b"\x86\xdd"
    else:
        total = 20 + len(body) if ip_total is None else ip_total
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0x4000, 64, 6, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
        eth = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00"
    return eth + ip + body


def pcap_header(linktype=1, snaplen=65535):
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)


def record(data, ts=1, caplen=None, length=None):
    caplen = len(data) if caplen is None else caplen
    length = len(data) if length is None else length
    return struct.pack("<IIII", ts, 0, caplen, length) + data


def good(i):
    return tcp_frame(sport=40000 + i, flags=0x02)


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


# Truncated file: the fourth record's data stops half-way.
whole = pcap_header() + b"".join(record(good(i), ts=i) for i in range(4))
write("truncated_file.pcap", whole[:-30])

# Truncated record header: 8 of the 16 bytes of the third record header.
write("truncated_record.pcap", pcap_header() + record(good(0)) + record(good(1)) + b"\x05\x00\x00\x00\x00\x00\x00\x00")

# Captured lengths above the snap length (54): record 2 by 146 bytes (libpcap cuts
# it to the snap length, as tcpdump does, and it is analysed), record 3 absurdly
# (a corrupt record header: reading cannot go on).
write("caplen_over_snaplen.pcap", pcap_header(snaplen=54) + record(good(0))
      + record(tcp_frame(sport=40001, payload=b"x" * 146))
      + struct.pack("<IIII", 3, 0, 0x7FFFFFF0, 0x7FFFFFF0) + good(2))

# Captured length above the original length.
write("caplen_over_len.pcap", pcap_header() + record(good(0)) + record(good(1), length=40) + record(good(2)))

# IP/TCP lengths that do not add up; good packets around them.
write("bad_lengths.pcap", pcap_header() + b"".join([
    record(good(0)),
    record(tcp_frame(ip_total=1500)),          # 2: IPv4 total length beyond the frame
    record(tcp_frame(data_offset=12)),         # 3: TCP header 48 > 20 bytes of IP payload
    record(tcp_frame(v6=True, ip_total=4000)), # 4: IPv6 payload length beyond the frame
    record(tcp_frame(data_offset=2)),          # 5: TCP data offset 8 < 20
    record(good(1)),
]))

# A link type tcpviz does not decode (147, LINKTYPE_USER0): reported once, not 3 times.
write("unknown_linktype.pcap", pcap_header(linktype=147) + b"".join(record(good(i)) for i in range(3)))

# Not a capture at all.
write("garbage_magic.pcap", b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")

# Zero bytes.
write("empty.pcap", b"")

# A pcap file header cut short.
write("truncated_header.pcap", pcap_header()[:10])


# pcapng
def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


SHB = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
IDB = block(1, struct.pack("<HHI", 1, 0, 65535))


def epb(data, iface=0, caplen=None):
    caplen = len(data) if caplen is None else caplen
    return block(6, struct.pack("<IIIII", iface, 0, 1, caplen, len(data)) + data)


# Second EPB's length is 13: not a multiple of 4, nothing after it can be trusted.
bad = bytearray(epb(good(1)))
bad[4:8] = struct.pack("<I", 13)
write("pcapng_bad_block_length.pcapng", SHB + IDB + epb(good(0)) + bytes(bad) + epb(good(2)))

# A packet on an interface that was never described, and one whose captured
# length overruns its block; the blocks around them are fine and are read.
write("pcapng_bad_packets.pcapng", SHB + IDB + epb(good(0)) + epb(good(1), iface=5)
      + epb(good(2), caplen=5000) + epb(good(3)))

# The last block is cut off.
write("pcapng_truncated.pcapng", (SHB + IDB + epb(good(0)) + epb(good(1)))[:-20])
