/**
 * WMO weather interpretation codes, as Open-Meteo reports them, in Chinese. Codes not in the
 * table fall back to a neutral word rather than failing the whole report.
 */
const WMO_CODES: Record<number, string> = {
  0: '晴',
  1: '晴间多云',
  2: '多云',
  3: '阴',
  45: '雾',
  48: '雾凇',
  51: '小毛毛雨',
  53: '毛毛雨',
  55: '大毛毛雨',
  56: '冻毛毛雨',
  57: '强冻毛毛雨',
  61: '小雨',
  63: '中雨',
  65: '大雨',
  66: '冻雨',
  67: '强冻雨',
  71: '小雪',
  73: '中雪',
  75: '大雪',
  77: '米雪',
  80: '阵雨',
  81: '强阵雨',
  82: '暴雨',
  85: '阵雪',
  86: '强阵雪',
  95: '雷阵雨',
  96: '雷阵雨伴有冰雹',
  99: '强雷阵雨伴有冰雹',
};

export function describeWmoCode(code: number): string {
  return WMO_CODES[code] ?? '天气未知';
}
