/**
 * Every antd component the renderer uses: renderer/antdStaticStyles.ts writes their CSS at build
 * time, and the page generates none at run time (antd's zeroRuntime), so a component missing
 * here renders unstyled. scripts/antdStyleComponents.test.ts fails when the renderer imports one
 * that is not listed: add it here (and, if its CSS needs special props to register, to the
 * plugin's `samples`).
 */
export const ANTD_STYLED_COMPONENTS = [
  'Alert',
  'App',
  'Badge',
  'Button',
  'Card',
  'ConfigProvider',
  'Form',
  'Input',
  'Modal',
  'Popover',
  'Progress',
  'Result',
  'Segmented',
  'Select',
  'Skeleton',
  'Space',
  'Spin',
  'Table',
  'Tabs',
  'Tag',
  'Tooltip',
  'Typography',
] as const;
