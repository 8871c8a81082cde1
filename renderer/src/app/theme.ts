import type { ThemeConfig } from 'antd';

export const FONT_STACK =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif';

/** The desk's look; also what renderer/antdStaticStyles.ts renders antd's stylesheet with. */
export const deskTheme: ThemeConfig = {
  // Plain class names (.ant-btn), as in the stylesheet the build extracted.
  hashed: false,
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

/**
 * What the page runs with: antd's component CSS comes from the stylesheet the build extracted
 * (`virtual:antd-styles.css`) instead of being generated during the first render.
 */
export const deskRuntimeTheme: ThemeConfig = { ...deskTheme, zeroRuntime: true };
