#!/usr/bin/env python3
"""Writes the decode_packet fuzz seeds: real TCP frames from the sample captures,
re-wrapped in every link layer decodeFrame supports.

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
NULL, ETH, PPP, RAW12, RAW14, PPP_HDLC, RAW101, LOOP, SLL, IPV4, IPV6, SLL2 = range(12)


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
