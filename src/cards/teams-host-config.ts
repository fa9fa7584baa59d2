/**
 * A host config close to the Microsoft Teams light theme (fonts, colours, spacing), for
 * rendering previews of our cards outside Teams (`npm run cards:screenshots`).
 */

const foreground = {
  default: { default: '#242424', subtle: '#616161' },
  dark: { default: '#242424', subtle: '#616161' },
  light: { default: '#FFFFFF', subtle: '#F5F5F5' },
  accent: { default: '#5B5FC7', subtle: '#7F85F5' },
  good: { default: '#0E700E', subtle: '#107C10' },
  warning: { default: '#835B00', subtle: '#8A5E00' },
  attention: { default: '#C4314B', subtle: '#C4314BCC' },
};

const style = (backgroundColor: string) => ({ backgroundColor, foregroundColors: foreground });

const fontSizes = { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 };
const fontWeights = { lighter: 300, default: 400, bolder: 600 };

export const teamsLightHostConfig = {
  supportsInteractivity: true,
  choiceSetInputValueSeparator: ',',
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  imageSizes: { small: 32, medium: 52, large: 100 },
  fontTypes: {
    default: { fontFamily: "'Segoe UI', 'Noto Sans', 'Liberation Sans', sans-serif", fontSizes, fontWeights },
    monospace: { fontFamily: "Consolas, 'DejaVu Sans Mono', monospace", fontSizes, fontWeights },
  },
  containerStyles: {
    default: style('#FFFFFF'),
    emphasis: style('#F5F5F5'),
    accent: style('#EBEBF8'),
    good: style('#F1FAF1'),
    warning: style('#FBF6D9'),
    attention: style('#FDF3F4'),
  },
  actions: {
    maxActions: 6,
    spacing: 'Default',
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
    iconPlacement: 'LeftOfTitle',
  },
  adaptiveCard: { allowCustomStyle: true },
  factSet: {
    title: { size: 'Default', color: 'Default', weight: 'Bolder', wrap: true, maxWidth: 150 },
    value: { size: 'Default', color: 'Default', weight: 'Default', wrap: true },
    spacing: 16,
  },
  table: { cellSpacing: 8 },
  textStyles: {
    heading: { size: 'Medium', weight: 'Bolder', color: 'Default', fontType: 'Default' },
    columnHeader: { size: 'Default', weight: 'Bolder', color: 'Default', fontType: 'Default' },
  },
  inputs: {
    label: {
      inputSpacing: 'Small',
      requiredInputs: { weight: 'Bolder', suffix: ' *', suffixColor: 'Attention' },
      optionalInputs: { weight: 'Bolder' },
    },
    errorMessage: { size: 'Small', color: 'Attention' },
  },
} as const;
