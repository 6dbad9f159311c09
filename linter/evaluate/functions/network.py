"""IP network functions (``cidrhost``, ``cidrnetmask``, ``cidrsubnet``, ``cidrsubnets``) with ``ipaddress``."""

from __future__ import annotations

import ipaddress

from ...values import LList, LStr
from ._base import FunctionError, known, need_int, need_str

_Net = ipaddress.IPv4Network | ipaddress.IPv6Network


def _network(text: str, name: str) -> _Net:
    if "/" not in text:
        raise FunctionError(f'{name}(): invalid CIDR address "{text}"')
    addr, _, bits = text.partition("/")
    try:
        ip = ipaddress.ip_address(addr)
        if not bits.isdigit():
            raise ValueError
        return ipaddress.ip_network(f"{ip}/{int(bits)}", strict=False)
    except ValueError:
        raise FunctionError(f'{name}(): invalid CIDR address "{text}"') from None


def _addr(net: _Net, value: int) -> str:
    return str(ipaddress.ip_address(value) if net.version == 4 else ipaddress.IPv6Address(value))


@known("cidrhost", 2)
def cidrhost(args, span):
    net = _network(need_str(args[0], "cidrhost", "prefix"), "cidrhost")
    n = need_int(args[1], "cidrhost", "host number")
    size = net.num_addresses
    if n < -size or n >= size:
        raise FunctionError(f"cidrhost(): prefix of {net.prefixlen} bits has no host number {n}")
    base = int(net.network_address) + (n if n >= 0 else size + n)
    return LStr(_addr(net, base), span)


@known("cidrnetmask", 1)
def cidrnetmask(args, span):
    net = _network(need_str(args[0], "cidrnetmask", "prefix"), "cidrnetmask")
    if net.version != 4:
        raise FunctionError("cidrnetmask(): only IPv4 networks have a netmask")
    return LStr(str(net.netmask), span)


def _subnet(net: _Net, newbits: int, netnum: int, name: str) -> _Net:
    length = net.prefixlen + newbits
    if newbits < 0:
        raise FunctionError(f"{name}(): new bits must not be negative")
    if length > net.max_prefixlen:
        raise FunctionError(
            f"{name}(): insufficient address space to extend prefix of {net.prefixlen} by {newbits}"
        )
    if netnum < 0 or netnum >= 2**newbits:
        raise FunctionError(
            f"{name}(): prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        )
    start = int(net.network_address) + (netnum << (net.max_prefixlen - length))
    return ipaddress.ip_network(f"{_addr(net, start)}/{length}")


@known("cidrsubnet", 3)
def cidrsubnet(args, span):
    net = _network(need_str(args[0], "cidrsubnet", "prefix"), "cidrsubnet")
    sub = _subnet(
        net,
        need_int(args[1], "cidrsubnet", "new bits"),
        need_int(args[2], "cidrsubnet", "net number"),
        "cidrsubnet",
    )
    return LStr(str(sub), span)


@known("cidrsubnets", 1, None)
def cidrsubnets(args, span):
    net = _network(need_str(args[0], "cidrsubnets", "prefix"), "cidrsubnets")
    bits = [need_int(a, "cidrsubnets", "new bits") for a in args[1:]]
    if not bits:
        return LList([], span)
    top = 2**net.max_prefixlen
    out = []
    # Like Terraform: start just before the network and take each next aligned subnet.
    current_last = (int(net.network_address) - 1) % top
    for nb in bits:
        length = net.prefixlen + nb
        if nb < 1 or length > net.max_prefixlen:
            raise FunctionError(
                f"cidrsubnets(): would extend prefix to {length} bits, which is too long for this address"
            )
        block = 2 ** (net.max_prefixlen - length)
        start = (current_last // block) * block + block
        if start >= top or start < int(net.network_address) or start + block - 1 > int(net.broadcast_address):
            raise FunctionError(
                f"cidrsubnets(): not enough remaining address space for a subnet with a prefix of {length} bits"
            )
        out.append(LStr(f"{_addr(net, start)}/{length}", span))
        current_last = start + block - 1
    return LList(out, span)


FUNCTIONS = {
    "cidrhost": cidrhost,
    "cidrnetmask": cidrnetmask,
    "cidrsubnet": cidrsubnet,
    "cidrsubnets": cidrsubnets,
}
