/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stands first on the include path (compat/Kbuild.include): the kernel's
 * linux/can/skb.h, plus two helpers over what carries the CAN core's data
 * beside a frame: an skb extension (after 6.12), or a can_skb_priv in the
 * skb's headroom before.
 */
#include_next <linux/can/skb.h>

#ifndef VX_COMPAT_CAN_SKB_H
#define VX_COMPAT_CAN_SKB_H

#ifdef VX_HAVE_CAN_SKB_EXT
/* An skb for a frame of mtu bytes, sent on the interface ifindex. */
static inline struct sk_buff *vx_alloc_can_tx_skb(int ifindex, unsigned int mtu,
						  gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(mtu, gfp);
	struct can_skb_ext *csx;

	if (!skb)
		return NULL;
	csx = can_skb_ext_add(skb);
	if (!csx) {
		kfree_skb(skb);
		return NULL;
	}
	csx->can_iif = ifindex;
	return skb;
}

/* The CAN core's number for a frame it delivers (its skbs are reused). */
static inline u32 vx_can_skb_uid(struct sk_buff *skb)
{
	struct can_skb_ext *csx = can_skb_ext_find(skb);

	return csx ? csx->can_skb_uid : 0;
}
#else
static inline struct sk_buff *vx_alloc_can_tx_skb(int ifindex, unsigned int mtu,
						  gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(sizeof(struct can_skb_priv) + mtu, gfp);

	if (!skb)
		return NULL;
	can_skb_reserve(skb);
	memset(can_skb_prv(skb), 0, sizeof(struct can_skb_priv));
	can_skb_prv(skb)->ifindex = ifindex;
	return skb;
}

static inline u32 vx_can_skb_uid(struct sk_buff *skb)
{
	return can_skb_prv(skb)->skbcnt;
}
#endif

#endif /* VX_COMPAT_CAN_SKB_H */
