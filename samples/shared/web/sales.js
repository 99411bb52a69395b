// The data every sample reads: Sum(Sales) by Region from a session hypercube of an open app. The
// same module runs in the pages (served at /shared/sales.js) and in the Node.js scripts, with an
// app from enigma.js or from @qlik/api.
export async function salesByRegion(app) {
  const page = { qTop: 0, qLeft: 0, qWidth: 2, qHeight: 50 };
  const object = await app.createSessionObject({
    qInfo: { qType: 'sample-table' },
    qHyperCubeDef: {
      qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
      qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
      qInitialDataFetch: [page],
    },
  });
  const layout = await object.getLayout();
  const [data] = await object.getHyperCubeData('/qHyperCubeDef', [page]);
  const info = [...layout.qHyperCube.qDimensionInfo, ...layout.qHyperCube.qMeasureInfo];
  return { titles: info.map((item) => item.qFallbackTitle), matrix: data.qMatrix };
}
