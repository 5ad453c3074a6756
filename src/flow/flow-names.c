/* flow-names.c - the words flows are recorded with (store and EVE). */
#include <stdio.h>

#include "flow/flow.h"
#include "util/util.h"

const char *flow_end_reason_name(enum flow_end_reason r)
{
    switch (r) {
    case FLOW_END_FIN:
        return "fin";
    case FLOW_END_RST:
        return "rst";
    case FLOW_END_TIMEOUT:
        return "timeout";
    case FLOW_END_ACTIVE:
        return "active_timeout";
    case FLOW_END_EVICTED:
        return "evicted";
    case FLOW_END_CAPTURE_END:
        return "capture_end";
    case FLOW_END_REUSED:
        return "port_reuse";
    case FLOW_END_NONE:
        break;
    }
    return "none";
}

const char *flow_end_reason_eve(enum flow_end_reason r)
{
    switch (r) {
    case FLOW_END_EVICTED:
        return "forced";
    case FLOW_END_CAPTURE_END:
        return "shutdown";
    default:
        return "timeout";
    }
}

const char *flow_tcp_state_name(enum flow_tcp_state s)
{
    switch (s) {
    case TCPS_SYN_SENT:
        return "syn_sent";
    case TCPS_SYN_RECV:
        return "syn_recv";
    case TCPS_ESTABLISHED:
        return "established";
    case TCPS_FIN_WAIT:
        return "fin_wait";
    case TCPS_CLOSING:
        return "closing";
    case TCPS_CLOSED:
        return "closed";
    case TCPS_NONE:
        break;
    }
    return "none";
}

const char *flow_state_eve(const struct flow *f)
{
    if (f->proto == 6) {
        switch (f->tcp_state) {
        case TCPS_ESTABLISHED:
        case TCPS_FIN_WAIT:
        case TCPS_CLOSING:
            return "established";
        case TCPS_CLOSED:
            return "closed";
        default:
            return "new";
        }
    }
    return f->pkts[1] ? "established" : "new";
}

const char *ip_proto_name(uint8_t proto, char *buf, unsigned len)
{
    switch (proto) {
    case 1:
        return "ICMP";
    case 6:
        return "TCP";
    case 17:
        return "UDP";
    case 47:
        return "GRE";
    case 58:
        return "IPv6-ICMP";
    case 132:
        return "SCTP";
    default:
        snprintf(buf, len, "%u", proto);
        return buf;
    }
}
