#!/usr/bin/env python3
"""Writes the decode_packet fuzz seeds: real TCP frames from the sample captures,
re-wrapped in every link layer and tunnel decodeFrame supports.

Seed layout (see fuzz_decode_packet.cpp): byte 0 picks the link type (its index
in kLinkTypes), byte 1 is how much longer the frame was on the wire, the rest is
the frame. Run: tests/fuzz/make_seeds.py [CORPUS_DIR]
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "corpus")
OUT = os.path.join(HERE, "seeds", "decode_packet")

# Same order as kLinkTypes in fuzz_decode_packet.cpp.
(NULL, ETH, PPP, RAW12, RAW14, PPP_HDLC, RAW101, LOOP, SLL, IPV4, IPV6, SLL2, FDDI, RADIOTAP,
 NFLOG) = range(15)


def pcap_frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _orig = struct.unpack(endian + "IIII", data[off:off + 16])
        yield linktype, data[off + 16:off + 16 + incl]
        off += 16 + incl


def ip_packets():
    """A few distinct IPv4 and IPv6 TCP packets from Ethernet captures."""
    wanted = {"v4syn": None, "v4data": None, "v6": None, "v4opts": None}
    for name in sorted(os.listdir(CORPUS)):
        if not name.endswith(".pcap"):
            continue
        try:
            frames = list(pcap_frames(os.path.join(CORPUS, name)))
        except (OSError, struct.error):
            continue
        for lt, frame in frames:
            if lt != 1 or len(frame) < 54:
                continue
            etype = struct.unpack(">H", frame[12:14])[0]
            ip = frame[14:]
            if etype == 0x0800 and ip[9] == 6:
                ihl = (ip[0] & 0xF) * 4
                flags = ip[ihl + 13]
                if flags & 0x02 and wanted["v4syn"] is None:
                    wanted["v4syn"] = ip
                elif ihl > 20 and wanted["v4opts"] is None:
                    wanted["v4opts"] = ip
                elif len(ip) > ihl + 40 and wanted["v4data"] is None:
                    wanted["v4data"] = ip
            elif etype == 0x86DD and ip[6] == 6 and wanted["v6"] is None:
                wanted["v6"] = ip
    return {k: v for k, v in wanted.items() if v is not None}


def outer_ipv4(protocol, payload):
    total = 20 + len(payload)
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 64, protocol, 0,
                       bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])) + payload


def outer_ipv6(next_header, payload):
    return struct.pack(">IHBB16s16s", 0x60000000, len(payload), next_header, 64,
                       bytes.fromhex("20010db8ffff" + "00" * 9 + "01"),
                       bytes.fromhex("20010db8ffff" + "00" * 9 + "02")) + payload


def udp(port, payload):
    return struct.pack(">HHHH", 50000, port, 8 + len(payload), 0) + payload


SNAP = bytes([0xAA, 0xAA, 0x03, 0, 0, 0])


def tunnels(ip):
    """The same packet inside each tunnel, as raw IP."""
    v6 = (ip[0] >> 4) == 6
    etype = 0x86DD if v6 else 0x0800
    inner_eth = bytes(range(1, 13)) + struct.pack(">H", etype) + ip
    yield outer_ipv6(41 if v6 else 4, ip)
    yield outer_ipv4(41 if v6 else 4, ip)
    yield outer_ipv4(47, struct.pack(">HHHHI", 0xB000, etype, 0, 0, 7) + struct.pack(">I", 1) + ip)  # GRE C, K, S
    yield outer_ipv4(47, struct.pack(">HHI", 0x2000, 0x6558, 0x1000) + inner_eth)  # NVGRE
    yield outer_ipv4(47, struct.pack(">HHI", 0x3081, 0x880B, 9) + struct.pack(">II", 1, 2)
                     + struct.pack(">BBH", 0xFF, 0x03, 0x0057 if v6 else 0x0021) + ip)  # PPTP
    yield outer_ipv4(47, struct.pack(">HHI", 0x1000, 0x88BE, 1) + struct.pack(">II", 0x10000005, 0) + inner_eth)  # ERSPAN II
    yield outer_ipv6(47, struct.pack(">HHI", 0x1000, 0x22EB, 1) + struct.pack(">III", 0x20000005, 0, 1)
                     + bytes(8) + inner_eth)  # ERSPAN III with platform subheader
    yield outer_ipv4(17, udp(4789, struct.pack(">II", 0x08000000, 0x123400) + inner_eth))  # VXLAN
    yield outer_ipv4(17, udp(6081, struct.pack(">BBHI", 1, 0, 0x6558, 0x2A00) + bytes([1, 2, 3, 0]) + inner_eth))  # Geneve
    ext = struct.pack(">HBB", 7, 0, 0x85) + bytes([1, 0x10, 0x09, 0])
    yield outer_ipv6(17, udp(2152, struct.pack(">BBHI", 0x36, 0xFF, len(ext) + len(ip), 1) + ext + ip))  # GTP-U
    quote = ip[:48] if v6 else ip[:(ip[0] & 0xF) * 4 + 8]
    if v6:
        yield outer_ipv6(58, bytes([2, 0, 0, 0, 0, 0, 5, 0]) + quote)  # ICMPv6 packet too big
    else:
        yield outer_ipv4(1, bytes([3, 3, 0, 0, 0, 0, 0, 0]) + quote)  # ICMP port unreachable


def wraps(ip):
    v6 = (ip[0] >> 4) == 6
    etype = 0x86DD if v6 else 0x0800
    mac = bytes(range(1, 13))
    eth = mac + struct.pack(">H", etype) + ip
    yield ETH, eth
    yield ETH, mac + struct.pack(">HHH", 0x8100, 5, etype) + ip  # 802.1Q
    yield ETH, mac + struct.pack(">HHHHH", 0x88A8, 7, 0x8100, 5, etype) + ip  # QinQ
    yield ETH, mac + struct.pack(">HI", 0x8847, (16 << 12) | 0x100 | 64) + ip  # MPLS, bottom of stack
    yield NULL, struct.pack("<I", 30 if v6 else 2) + ip
    yield LOOP, struct.pack(">I", 24 if v6 else 2) + ip
    ppp = struct.pack(">BBH", 0xFF, 0x03, 0x0057 if v6 else 0x0021) + ip
    yield PPP, ppp
    yield PPP_HDLC, ppp
    for lt in (RAW12, RAW14, RAW101):
        yield lt, ip
    yield (IPV6 if v6 else IPV4), ip
    yield SLL, struct.pack(">HHH8sH", 0, 1, 6, mac[:8], etype) + ip
    yield SLL2, struct.pack(">HHIHBB8s", etype, 0, 1, 1, 0, 6, mac[:8]) + ip
    snap = SNAP + struct.pack(">H", etype) + ip
    yield ETH, mac + struct.pack(">H", len(snap)) + snap  # 802.3 + LLC/SNAP
    yield FDDI, bytes([0x50]) + mac + snap
    # radiotap (8 bytes) + 802.11 QoS data from the AP + LLC/SNAP
    yield RADIOTAP, bytes([0, 0, 8, 0, 0, 0, 0, 0, 0x88, 0x02, 0x2C, 0]) + bytes(range(18)) + bytes(4) + snap
    pad = bytes((4 - len(ip) % 4) % 4)
    yield NFLOG, (bytes([10 if v6 else 2, 0, 0, 1]) + struct.pack("<HH", 8, 1) + struct.pack(">HBB", etype, 3, 0)
                  + struct.pack("<HH", 4 + len(ip), 9) + ip + pad)
    for tunnelled in tunnels(ip):
        yield RAW101, tunnelled


def main():
    os.makedirs(OUT, exist_ok=True)
    count = 0
    for name, ip in sorted(ip_packets().items()):
        for i, (lt, frame) in enumerate(wraps(ip)):
            with open(os.path.join(OUT, f"{name}-{i:02d}"), "wb") as f:
                f.write(bytes([lt, 0]) + frame[:1500])
            count += 1
    print(f"{count} seeds in {OUT}")


if __name__ == "__main__":
    main()
