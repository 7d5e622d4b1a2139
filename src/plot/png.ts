/** PNG output (Node only: resvg is a native module). */
/** SVG -> PNG with resvg (system fonts), at twice the chart's width for sharp text. */
export async function renderPng(svg: string, width: number): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: width * 2 } }).render().asPng();
}
