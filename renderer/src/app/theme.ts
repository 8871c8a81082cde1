import type { ThemeConfig } from 'antd';

export const FONT_STACK =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif';

export const deskTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1d5fb8',
    colorError: '#d4380d',
    borderRadius: 4,
    fontFamily: FONT_STACK,
    fontSize: 13,
    motionDurationMid: '0.12s',
    motionDurationSlow: '0.16s',
  },
  components: {
    Card: { headerHeightSM: 34, bodyPaddingSM: 10 },
    Tag: { defaultBg: '#f5f5f5' },
  },
};
