// Two ways of drawing that keep a frame cheap on a software renderer (SwiftShader, llvmpipe: no GPU), where
// every draw call and every heavy shader is paid on the CPU (docs/performance.md, "The globe viewer"):
// - PointLayer: thousands of points in one draw call with a small shader, moved by a cubic Hermite
//   polynomial evaluated on the GPU between two key states, so a frame uploads nothing;
// - RegionImagery: polygons (a policy's forbidden regions) drawn into the globe's base imagery, tile by
//   tile on a 2D canvas, so the globe's own draw calls carry them at no cost a frame; what is under the
//   pointer is found in the polygons themselves (regionAt).
const Cesium = window.Cesium;

// Floats per point in PointLayer.data: position (m) and velocity (m/s) at key A, then at key B, Earth-fixed.
export const POINT_FLOATS = 12;

const SHAPES = { circle: 0, square: 1, diamond: 2 };

const VERTEX_SHADER = `
in vec3 a_p0;
in vec3 a_v0;
in vec3 a_p1;
in vec3 a_v1;
in float a_shown;
in vec4 a_colour;
uniform vec4 u_basis;
uniform float u_size;
out vec4 v_colour;
void main() {
  vec3 p = u_basis.x * a_p0 + u_basis.y * a_v0 + u_basis.z * a_p1 + u_basis.w * a_v1;
  // Hidden behind the Earth when the segment from the viewer to p enters the ellipsoid before p: in
  // coordinates where the ellipsoid is the unit sphere, the smaller root t of |c + t d| = 1 lies in (0, 1).
  const vec3 inv = vec3(1.0 / 6378137.0, 1.0 / 6378137.0, 1.0 / 6356752.314245);
  vec3 c = czm_viewerPositionWC * inv;
  vec3 d = p * inv - c;
  float a = dot(d, d), b = dot(c, d), disc = b * b - a * (dot(c, c) - 1.0);
  float t = disc > 0.0 ? (-b - sqrt(disc)) / a : 2.0;
  bool hidden = a_shown < 0.5 || (t > 0.0 && t < 0.9999);
  gl_Position = hidden ? vec4(2.0, 2.0, 2.0, 1.0) : czm_modelViewProjection * vec4(p, 1.0);
  gl_PointSize = hidden ? 0.0 : u_size;
  v_colour = a_colour;
}`;

const FRAGMENT_SHADER = `
in vec4 v_colour;
uniform float u_shape;
uniform float u_border;
void main() {
  vec2 q = abs(gl_PointCoord - 0.5) * 2.0;
  float r = u_shape < 0.5 ? length(q) : u_shape < 1.5 ? max(q.x, q.y) : q.x + q.y;
  if (r > 1.0) discard;
  out_FragColor = r > 1.0 - u_border ? vec4(0.0, 0.0, 0.0, 1.0) : v_colour;
}`;

// Points drawn in one draw call (a Cesium primitive: scene.primitives.add(layer)). Point i is at
// basis . (p0, v0, p1, v1) of its row of `data`: a fixed point has p0 set, the rest zero and the basis
// (1, 0, 0, 0); a moving one gets the Hermite basis of the instant (setBasis). Points behind the Earth are
// hidden in the vertex shader (drawn without a depth test: they are above the globe); `shown[i]` 0 hides
// one. `ids[i]` names point i (pointNear finds the point under the pointer). `size` is in CSS pixels.
export class PointLayer {
  constructor(count, { colours, ids, size = 3, shape = "circle", border = 0 }) {
    this.count = count;
    this.data = new Float32Array(POINT_FLOATS * count);
    this.shown = new Uint8Array(count).fill(1);
    this.colours = colours; // Uint8Array(4 count), RGBA
    this.ids = ids;
    this.size = size;
    this.shape = SHAPES[shape];
    this.border = border; // the outline's share of the radius
    this.basis = [1, 0, 0, 0];
    this.show = true;
    this.dataChanged = true;
    this.shownChanged = true;
    this.command = null;
  }

  // The polynomial's weights now: p0, v0, p1, v1.
  setBasis(h00, h10, h01, h11) { this.basis = [h00, h10, h01, h11]; }

  // Where point i is drawn (metres, Earth-fixed; the GPU evaluates the same sum in single precision).
  positionOf(i, result) {
    const d = this.data, k = POINT_FLOATS * i, [a, b, c, e] = this.basis;
    result.x = a * d[k] + b * d[k + 3] + c * d[k + 6] + e * d[k + 9];
    result.y = a * d[k + 1] + b * d[k + 4] + c * d[k + 7] + e * d[k + 10];
    result.z = a * d[k + 2] + b * d[k + 5] + c * d[k + 8] + e * d[k + 11];
    return result;
  }

  // Calls fn(i, w) for each point drawn now in front of the Earth, w its window position (CSS pixels; a
  // Cartesian2 reused between calls).
  forEachInView(scene, fn) {
    if (!this.show) return;
    const occluder = new Cesium.EllipsoidalOccluder(Cesium.Ellipsoid.WGS84, scene.camera.positionWC);
    const p = new Cesium.Cartesian3(), w = new Cesium.Cartesian2();
    for (let i = 0; i < this.count; ++i) {
      if (!this.shown[i] || !occluder.isPointVisible(this.positionOf(i, p))) continue;
      if (Cesium.SceneTransforms.worldToWindowCoordinates(scene, p, w)) fn(i, w);
    }
  }

  // The point drawn nearest `position` (window coordinates, CSS pixels) within `radius` pixels, in front
  // of the Earth: {index, distance}, or null. Picking in JavaScript: a point a pixel or two wide is hard
  // to hit, and the layer draws nothing of its own for Cesium's picking pass.
  pointNear(scene, position, radius = 6) {
    let best = null;
    this.forEachInView(scene, (i, w) => {
      const d = Math.hypot(w.x - position.x, w.y - position.y);
      if (d <= (best ? best.distance : radius)) best = { index: i, distance: d };
    });
    return best;
  }

  create(context) {
    this.dataBuffer = Cesium.Buffer.createVertexBuffer({ context, typedArray: this.data,
      usage: Cesium.BufferUsage.DYNAMIC_DRAW });
    this.shownBuffer = Cesium.Buffer.createVertexBuffer({ context, typedArray: this.shown,
      usage: Cesium.BufferUsage.DYNAMIC_DRAW });
    const colourBuffer = Cesium.Buffer.createVertexBuffer({ context, typedArray: this.colours,
      usage: Cesium.BufferUsage.STATIC_DRAW });
    const stride = 4 * POINT_FLOATS;
    const vector = (index, offset) => ({ index, vertexBuffer: this.dataBuffer, componentsPerAttribute: 3,
      componentDatatype: Cesium.ComponentDatatype.FLOAT, offsetInBytes: offset, strideInBytes: stride });
    // Colours as bytes scaled to [0, 1]; `shown` as 0 or 1 (not scaled).
    const bytes = (index, vertexBuffer, n, normalize) => ({ index, vertexBuffer, componentsPerAttribute: n,
      componentDatatype: Cesium.ComponentDatatype.UNSIGNED_BYTE, normalize });
    const locations = { a_p0: 0, a_v0: 1, a_p1: 2, a_v1: 3, a_shown: 4, a_colour: 5 };
    this.vertexArray = new Cesium.VertexArray({ context, attributes: [
      vector(0, 0), vector(1, 12), vector(2, 24), vector(3, 36), bytes(4, this.shownBuffer, 1, false),
      bytes(5, colourBuffer, 4, true)] });
    this.program = Cesium.ShaderProgram.fromCache({ context, vertexShaderSource: VERTEX_SHADER,
      fragmentShaderSource: FRAGMENT_SHADER, attributeLocations: locations });
    const basis = new Cesium.Cartesian4();
    this.command = new Cesium.DrawCommand({
      vertexArray: this.vertexArray, shaderProgram: this.program, primitiveType: Cesium.PrimitiveType.POINTS,
      renderState: Cesium.RenderState.fromCache({ depthTest: { enabled: false } }), pass: Cesium.Pass.OPAQUE,
      owner: this, count: this.count, cull: false,
      boundingVolume: new Cesium.BoundingSphere(Cesium.Cartesian3.ZERO, 5e7),
      uniformMap: {
        u_basis: () => Cesium.Cartesian4.fromArray(this.basis, 0, basis),
        u_size: () => Math.max(1, this.size * this.pixelRatio),
        u_shape: () => this.shape,
        u_border: () => this.border,
      },
    });
  }

  update(frameState) {
    if (!this.show || this.count === 0 || !frameState.passes.render) return;
    if (!this.command) this.create(frameState.context);
    if (this.dataChanged) { this.dataBuffer.copyFromArrayView(this.data); this.dataChanged = false; }
    if (this.shownChanged) { this.shownBuffer.copyFromArrayView(this.shown); this.shownChanged = false; }
    this.pixelRatio = frameState.pixelRatio;
    frameState.commandList.push(this.command);
  }

  isDestroyed() { return false; }

  destroy() {
    if (this.vertexArray) this.vertexArray.destroy();
    if (this.program) this.program.destroy();
    return Cesium.destroyObject(this);
  }
}

// The bounding box [west, south, east, north] (degrees) of a polygon's rings.
function boxOf(polygon) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of polygon) {
    for (const [lon, lat] of ring) {
      box[0] = Math.min(box[0], lon); box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon); box[3] = Math.max(box[3], lat);
    }
  }
  return box;
}

// Whether (lon, lat) lies inside a GeoJSON polygon (rings in degrees, the first the outline, the others
// holes): an even number of ring crossings on a ray towards +lon means outside, in the plane of longitude
// and latitude, as the tiles are drawn.
function polygonContains(polygon, lon, lat) {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if ((yi > lat) !== (yj > lat) && lon < xj + (lat - yj) / (yi - yj) * (xi - xj)) inside = !inside;
    }
  }
  return inside;
}

// The globe's imagery (a Cesium imagery provider: new Cesium.ImageryLayer(source)): the base map's tiles
// (a TMS folder in a geographic tiling scheme, CesiumJS's Natural Earth II: `baseUrl`, levels 0 to
// `baseMaximumLevel`) with regions drawn over them, 256 pixels a tile down to level `maximumLevel`, so a
// region's edges stay sharp as the view closes in. One texture a tile: a second imagery layer would cost
// a texture read for every pixel of the globe. regions: [{polygons: [[[lon, lat], ...], ...]], fill:
// bool}] in degrees; a region is filled when `fill` is set, outlined always. `baseTiles` (a Map) keeps
// the base tiles decoded, and may be shared by the sources that replace one another.
export class RegionImagery {
  constructor(regions, { baseUrl, baseMaximumLevel = 2, maximumLevel = 7, baseTiles = new Map(),
    fill = "rgba(230, 26, 26, 0.35)", stroke = "rgba(255, 64, 64, 0.9)", lineWidth = 1.5 }) {
    this.regions = regions.map((r) => ({ ...r, boxes: r.polygons.map(boxOf) }));
    this.style = { fill, stroke, lineWidth };
    this.baseUrl = baseUrl.replace(/\/?$/, "/");
    this.baseMaximumLevel = baseMaximumLevel;
    this.baseTiles = baseTiles;
    this.tilingScheme = new Cesium.GeographicTilingScheme();
    this.tileWidth = 256;
    this.tileHeight = 256;
    this.maximumLevel = maximumLevel;
    this.minimumLevel = 0;
    this.rectangle = this.tilingScheme.rectangle;
    this.tileDiscardPolicy = undefined;
    this.errorEvent = new Cesium.Event();
    this.credit = undefined;
    this.proxy = undefined;
    this.hasAlphaChannel = false;
  }

  // The base map's tile (x, y) of `level` (y from the north, as Cesium counts; TMS counts from the south).
  baseTile(x, y, level) {
    const key = `${level}/${x}/${y}`;
    if (!this.baseTiles.has(key)) {
      const url = `${this.baseUrl}${level}/${x}/${(1 << level) - 1 - y}.jpg`;
      this.baseTiles.set(key, fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
        return r.blob();
      }).then((b) => createImageBitmap(b)).catch((e) => {
        this.baseTiles.delete(key); // asked again when Cesium retries the tile
        throw e;
      }));
    }
    return this.baseTiles.get(key);
  }

  async requestImage(x, y, level) {
    const canvas = document.createElement("canvas");
    canvas.width = this.tileWidth;
    canvas.height = this.tileHeight;
    const g = canvas.getContext("2d");
    // The base: the tile itself, or the part of its ancestor at the base's deepest level, scaled up.
    const up = Math.max(0, level - this.baseMaximumLevel), n = 1 << up;
    const base = await this.baseTile(x >> up, y >> up, level - up);
    const side = base.width / n;
    g.drawImage(base, (x % n) * side, (y % n) * side, side, side, 0, 0, canvas.width, canvas.height);
    const r = this.tilingScheme.tileXYToRectangle(x, y, level);
    const west = Cesium.Math.toDegrees(r.west), east = Cesium.Math.toDegrees(r.east);
    const south = Cesium.Math.toDegrees(r.south), north = Cesium.Math.toDegrees(r.north);
    const overlaps = (b) => b[0] <= east && b[2] >= west && b[1] <= north && b[3] >= south;
    const sx = canvas.width / (east - west), sy = canvas.height / (north - south);
    const trace = (ring) => {
      ring.forEach(([lon, lat], i) => {
        const px = (lon - west) * sx, py = (north - lat) * sy;
        if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
      });
      g.closePath();
    };
    g.fillStyle = this.style.fill;
    g.strokeStyle = this.style.stroke;
    g.lineWidth = this.style.lineWidth;
    g.lineJoin = "round";
    for (const region of this.regions) {
      region.polygons.forEach((polygon, i) => {
        if (!overlaps(region.boxes[i])) return;
        g.beginPath();
        polygon.forEach(trace);
        if (region.fill) g.fill("evenodd");
        g.stroke();
      });
    }
    return canvas;
  }

  getTileCredits() { return undefined; }

  pickFeatures() { return undefined; }

  // The region under (lon, lat) in degrees: the first (in the order given) of the filled ones whose area
  // holds it, else the first outline-only one (a rule forbidding outside its region) that does not;
  // undefined when none.
  regionAt(lon, lat) {
    const holds = (region) => region.polygons.some((p, i) => {
      const b = region.boxes[i];
      return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3] && polygonContains(p, lon, lat);
    });
    return this.regions.find((r) => r.fill && holds(r)) || this.regions.find((r) => !r.fill && !holds(r));
  }
}
