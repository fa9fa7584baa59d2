/**
 * Links `channels` of our numbers, each to a channel of its own whose Teams is `serviceUrl`, in
 * an open store, and closes it: the linked numbers the delivery benchmarks post through.
 */
export const seedLinks = async (store, { channels, ourNumber, channelId, serviceUrl, tenantId }) => {
  try {
    for (let c = 0; c < channels; c += 1) {
      await store.saveLink({
        number: ourNumber(c),
        teamId: '19:bench-team@thread.tacv2',
        channelId: channelId(c),
        tenantId,
        serviceUrl,
        botId: '28:bench-bot',
        createdBy: 'bench',
        createdAt: new Date(),
      });
    }
  } finally {
    await store.close();
  }
};
