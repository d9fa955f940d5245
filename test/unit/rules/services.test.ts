import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dedent, diagnose, diagnoseRule, deploymentYaml } from '../../helpers';

const service = (spec: string) => dedent(`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
`) + dedent(spec).split('\n').map((l) => (l ? '  ' + l : l)).join('\n');

const deployment = (ports: string) => deploymentYaml({ documentStart: true, image: 'nginx', container: `ports:\n${ports}` });

test('a valid Service has no problems', () => {
  assert.deepEqual(diagnose(service(`
    selector:
      app: web
      app.kubernetes.io/name: web
    ports:
    - name: http
      port: 80
      targetPort: http
    - name: dns
      port: 53
      protocol: UDP
    - name: dns-tcp
      port: 53
      protocol: TCP
  `)), []);
});

test('service-port: names required with several ports, duplicates, invalid targetPort', () => {
  const p = diagnoseRule(service(`
    selector:
      app: web
    ports:
    - port: 80
      targetPort: "8080"
    - name: Web_Port
      port: 443
      targetPort: 70000
    - name: https
      port: 443
  `), 'service-port');
  assert.deepEqual(p.map((x) => x.text), ['port', '"8080"', 'Web_Port', '70000', '443']);
  assert.match(p[0].message, /has 3 ports, so each needs a name.*"http"/);
  assert.match(p[1].message, /write the number without quotes: `targetPort: 8080`/);
  assert.match(p[2].message, /must be a lowercase DNS label/);
  assert.match(p[3].message, /between 1 and 65535 \(it is 70000\)/);
  assert.match(p[4].message, /443\/TCP is listed twice/);
});

test('service-port: a Service without ports, unless headless', () => {
  const p = diagnoseRule(service(`
    selector:
      app: web
  `), 'service-port');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'spec');
  assert.match(p[0].message, /needs at least one port/);
  assert.deepEqual(diagnoseRule(service(`
    clusterIP: None
    selector:
      app: web
  `), 'service-port'), []);
});

test('service-node-port-range: outside the default range is a warning, on ClusterIP an error', () => {
  const p = diagnoseRule(service(`
    type: NodePort
    ports:
    - port: 80
      nodePort: 8080
  `), 'service-node-port-range');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, '8080');
  assert.equal(p[0].severity, 'warning');
  assert.match(p[0].message, /outside the default node port range 30000-32767.*--service-node-port-range/);
  const c = diagnoseRule(service(`
    ports:
    - port: 80
      nodePort: 30080
  `), 'service-node-port-range');
  assert.equal(c[0].severity, 'error');
  assert.equal(c[0].text, 'nodePort');
  assert.match(c[0].message, /cannot be used when type is ClusterIP \(the default\)/);
  assert.deepEqual(diagnoseRule(service(`
    type: NodePort
    ports:
    - port: 80
      nodePort: 30080
  `), 'service-node-port-range'), []);
});

test('service-selector: ExternalName without externalName, ignored selector, invalid label keys', () => {
  const p = diagnoseRule(service(`
    type: ExternalName
    selector:
      app: db
  `), 'service-selector');
  assert.deepEqual(p.map((x) => [x.text, x.severity]), [['type', 'error'], ['selector', 'warning']]);
  assert.match(p[0].message, /needs spec.externalName/);
  assert.match(p[1].message, /ignores its selector/);
  const k = diagnoseRule(service(`
    selector:
      "app name": web
      tier: "-bad"
    ports:
    - port: 80
  `), 'service-selector');
  assert.deepEqual(k.map((x) => x.text), ['"app name"', '"-bad"']);
  assert.match(k[0].message, /not a valid label key/);
  assert.match(k[1].message, /not a valid label value/);
});

test('service-target-port-name: checked against the selected workload in the same file', () => {
  const svc = service(`
    selector:
      app: web
    ports:
    - port: 80
      targetPort: http
  `);
  const p = diagnoseRule(svc + deployment('- containerPort: 8080\n  name: web'), 'service-target-port-name');
  assert.equal(p.length, 1);
  assert.equal(p[0].text, 'http');
  assert.match(p[0].message, /targetPort "http" is not a container port name of Deployment web \(they declare "web"\)/);
  assert.deepEqual(diagnoseRule(svc + deployment('- containerPort: 8080\n  name: http'), 'service-target-port-name'), []);
  assert.deepEqual(diagnoseRule(svc, 'service-target-port-name'), [], 'no workload in the file: not checked');
});

const ingress = (paths: string, extra = '') => dedent(`
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
  spec:
  ${extra}
    rules:
    - host: example.com
      http:
        paths:
`) + dedent(paths).split('\n').map((l) => (l ? '      ' + l : l)).join('\n');

const backend = `
      backend:
        service:
          name: web
          port:
            number: 80`;

test('a valid Ingress has no problems', () => {
  assert.deepEqual(diagnose(ingress(`
    - path: /api
      pathType: Prefix${backend}
    - path: /
      pathType: Exact${backend}
  `)), []);
});

test('ingress-path-type: missing pathType replaces the schema message', () => {
  const text = ingress(`
    - path: /api${backend}
  `);
  const all = diagnose(text);
  assert.deepEqual(all.map((x) => x.code), ['ingress-path-type']);
  assert.equal(all[0].text, 'path');
  assert.match(all[0].message, /pathType is required in networking.k8s.io\/v1; add `pathType: Prefix`/);
  const re = diagnoseRule(ingress(`
    - path: /api/(.*)${backend}
  `), 'ingress-path-type');
  assert.match(re[0].message, /pathType: ImplementationSpecific/);
});

test('ingress-path: relative and invalid Prefix paths', () => {
  const p = diagnoseRule(ingress(`
    - path: api
      pathType: Prefix${backend}
    - path: /a//b
      pathType: Exact${backend}
    - path: /tf(/|$)(.*)
      pathType: Prefix${backend}
    - path: /tf(/|$)(.*)
      pathType: ImplementationSpecific${backend}
  `), 'ingress-path');
  assert.deepEqual(p.map((x) => [x.text, x.severity]), [['api', 'error'], ['/a//b', 'error'], ['/tf(/|$)(.*)', 'warning']]);
  assert.match(p[0].message, /must start with "\/": write "\/api"/);
  assert.match(p[1].message, /must not contain "\/\/"/);
  assert.match(p[2].message, /looks like a regular expression.*ImplementationSpecific/);
});

test('ingress-backend: both service and resource, port name and number, no rules', () => {
  const p = diagnoseRule(ingress(`
    - path: /
      pathType: Prefix
      backend:
        service:
          name: web
          port:
            name: http
            number: 80
        resource:
          kind: Bucket
          name: b
  `), 'ingress-backend');
  assert.deepEqual(p.map((x) => x.text), ['number', 'resource']);
  assert.match(p[0].message, /name or number, not both/);
  assert.match(p[1].message, /service or resource, not both/);
  const empty = diagnoseRule('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\nspec:\n  ingressClassName: nginx\n', 'ingress-backend');
  assert.equal(empty[0].text, 'spec');
  assert.match(empty[0].message, /needs spec.rules or spec.defaultBackend/);
});

const ingressDoc = (spec: string, annotations = '') => dedent(`
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
${annotations}
  spec:
`) + dedent(spec).split('\n').map((l) => (l ? '  ' + l : l)).join('\n');

const okBackend = `
      backend:
        service:
          name: web
          port:
            number: 80`;

test('service-spec: externalName must be a DNS name, only on ExternalName; cluster IP fields forbidden there', () => {
  const p = diagnoseRule(service(`
    type: ExternalName
    externalName: db_host.example.com
    clusterIP: 10.0.0.10
    ipFamilyPolicy: SingleStack
  `), 'service-spec');
  assert.deepEqual(p.map((x) => x.text), ['db_host.example.com', 'clusterIP', 'ipFamilyPolicy']);
  assert.match(p[0].message, /externalName "db_host.example.com" is not a valid DNS name: it contains '_'/);
  assert.match(p[1].message, /clusterIP may not be set on an ExternalName Service/);
  const ip = diagnoseRule(service(`
    type: ExternalName
    externalName: 10.1.2.3
  `), 'service-spec');
  assert.equal(ip[0].text, '10.1.2.3');
  assert.match(ip[0].message, /is an IP address; it must be a DNS name/);
  const ignored = diagnoseRule(service(`
    externalName: db.example.com
    ports:
    - port: 80
  `), 'service-spec');
  assert.deepEqual(ignored.map((x) => [x.text, x.severity]), [['externalName', 'warning']]);
  assert.match(ignored[0].message, /only used when type is ExternalName; here type is ClusterIP \(the default\)/);
  assert.deepEqual(diagnoseRule(service(`
    type: ExternalName
    externalName: db.example.com.
  `), 'service-spec'), []);
});

test('service-spec: clusterIP and clusterIPs shape, ipFamilies consistency', () => {
  const p = diagnoseRule(service(`
    type: NodePort
    clusterIP: None
    ports:
    - port: 80
  `), 'service-spec');
  assert.deepEqual(p.map((x) => x.text), ['None']);
  assert.match(p[0].message, /clusterIP may not be None \(headless\) when type is NodePort/);
  const q = diagnoseRule(service(`
    clusterIP: 10.0.0.300
    clusterIPs: [10.0.0.10, 10.0.0.11]
    ipFamilyPolicy: SingleStack
    ports:
    - port: 80
  `), 'service-spec');
  assert.deepEqual(q.map((x) => x.text), ['10.0.0.300', 'clusterIPs', '10.0.0.10', '10.0.0.11']);
  assert.match(q[0].message, /clusterIP "10.0.0.300" must be a valid IP address, None/);
  assert.match(q[1].message, /SingleStack, so clusterIPs may hold only one address/);
  assert.match(q[2].message, /clusterIPs\[0\] must equal clusterIP \("10.0.0.300"\)/);
  assert.match(q[3].message, /must be of different families \(one IPv4, one IPv6\); both are IPv4/);
  const f = diagnoseRule(service(`
    clusterIPs: ["fd00::10", 10.0.0.10]
    ipFamilyPolicy: RequireDualStack
    ipFamilies: [IPv4, IPv6]
    ports:
    - port: 80
  `), 'service-spec');
  assert.deepEqual(f.map((x) => x.text), ['"fd00::10"', '10.0.0.10']);
  assert.match(f[0].message, /clusterIPs\[0\] "fd00::10" is an IPv6 address, but ipFamilies\[0\] is IPv4/);
  assert.deepEqual(diagnoseRule(service(`
    clusterIP: 10.0.0.10
    clusterIPs: [10.0.0.10, "fd00::10"]
    ipFamilyPolicy: RequireDualStack
    ipFamilies: [IPv4, IPv6]
    ports:
    - port: 80
  `), 'service-spec'), []);
});

test('service-spec: LoadBalancer-only fields, CIDRs, externalIPs, healthCheckNodePort, kubelet port', () => {
  const p = diagnoseRule(service(`
    type: NodePort
    loadBalancerSourceRanges: [10.0.0.0/8]
    allocateLoadBalancerNodePorts: false
    healthCheckNodePort: 30100
    externalIPs: [127.0.0.1, 1.2.3]
    ports:
    - port: 80
  `), 'service-spec');
  assert.deepEqual(p.map((x) => x.text), ['loadBalancerSourceRanges', 'allocateLoadBalancerNodePorts', 'healthCheckNodePort', '127.0.0.1', '1.2.3']);
  assert.match(p[0].message, /may only be used when type is LoadBalancer; here type is NodePort/);
  assert.match(p[2].message, /only be set when type is LoadBalancer and externalTrafficPolicy is Local/);
  assert.match(p[3].message, /cannot be used: it is in the loopback range/);
  assert.match(p[4].message, /"1.2.3" is not an IP address/);
  const lb = diagnoseRule(service(`
    type: LoadBalancer
    loadBalancerSourceRanges: [10.0.0.0/33, 192.168.1.1]
    ports:
    - port: 10250
  `), 'service-spec');
  assert.deepEqual(lb.map((x) => x.text), ['10.0.0.0/33', '192.168.1.1', '10250']);
  assert.match(lb[0].message, /not a valid CIDR: the prefix length must be a number from 0 to 32/);
  assert.match(lb[1].message, /no "\/prefix" length/);
  assert.match(lb[2].message, /may not expose port 10250: the kubelet uses it/);
  assert.deepEqual(diagnoseRule(service(`
    type: LoadBalancer
    externalTrafficPolicy: Local
    healthCheckNodePort: 30100
    allocateLoadBalancerNodePorts: false
    loadBalancerSourceRanges: [10.0.0.0/8, "2001:db8::/32"]
    externalIPs: [203.0.113.7]
    ports:
    - port: 443
  `), 'service-spec'), []);
});

test('service-spec: externalTrafficPolicy only when reachable from outside; session affinity; trafficDistribution; appProtocol', () => {
  const p = diagnoseRule(service(`
    externalTrafficPolicy: Local
    sessionAffinityConfig:
      clientIP:
        timeoutSeconds: 60
    trafficDistribution: Nearby
    ports:
    - port: 80
      appProtocol: "my proto"
  `), 'service-spec');
  assert.deepEqual(p.map((x) => x.text), ['externalTrafficPolicy', 'sessionAffinityConfig', 'Nearby', '"my proto"']);
  assert.match(p[0].message, /only be set on a Service reachable from outside the cluster.*here type is ClusterIP \(the default\)/);
  assert.match(p[2].message, /use one of PreferClose, PreferSameZone, PreferSameNode/);
  assert.match(p[1].message, /may not be set when sessionAffinity is None \(the default\); set sessionAffinity: ClientIP/);
  assert.match(p[3].message, /appProtocol "my proto" is not valid: the name part contains a space/);
  const t = diagnoseRule(service(`
    sessionAffinity: ClientIP
    sessionAffinityConfig:
      clientIP:
        timeoutSeconds: 90000
    ports:
    - port: 80
  `), 'service-spec');
  assert.deepEqual(t.map((x) => x.text), ['90000']);
  assert.match(t[0].message, /greater than 0 and at most 86400.*it is 90000/);
  assert.deepEqual(diagnoseRule(service(`
    externalIPs: [203.0.113.7]
    externalTrafficPolicy: Local
    sessionAffinity: ClientIP
    sessionAffinityConfig:
      clientIP:
        timeoutSeconds: 3600
    trafficDistribution: PreferClose
    ports:
    - port: 80
      appProtocol: kubernetes.io/h2c
  `), 'service-spec'), []);
});

test('service-port: the same nodePort and protocol twice', () => {
  const p = diagnoseRule(service(`
    type: NodePort
    ports:
    - name: a
      port: 80
      nodePort: 30080
    - name: b
      port: 81
      nodePort: 30080
  `), 'service-port');
  assert.deepEqual(p.map((x) => x.text), ['30080']);
  assert.match(p[0].message, /nodePort 30080\/TCP is used twice/);
  assert.equal(p[0].at, '13:15');
});

test('ingress-host: IP addresses, ports, misplaced wildcards, uppercase; valid hosts pass', () => {
  const p = diagnoseRule(ingressDoc(`
    rules:
    - host: 10.0.0.1
    - host: example.com:8443
    - host: api.*.example.com
    - host: Example.com
  `), 'ingress-host');
  assert.deepEqual(p.map((x) => x.text), ['10.0.0.1', 'example.com:8443', 'api.*.example.com', 'Example.com']);
  assert.match(p[0].message, /is an IP address; it must be a DNS name/);
  assert.match(p[1].message, /has a port \(":8443"\); write the host without it: "example.com"/);
  assert.match(p[2].message, /wildcard is allowed only as the whole first label/);
  assert.match(p[3].message, /uppercase letters/);
  assert.deepEqual(diagnoseRule(ingressDoc(`
    rules:
    - host: "*.example.com"
      http:
        paths:
        - path: /
          pathType: Prefix${okBackend}
    - host: api.example.com
      http:
        paths:
        - path: /
          pathType: Prefix${okBackend}
  `), 'ingress-host'), []);
});

test('ingress-tls: TLS hosts and secretName', () => {
  const p = diagnoseRule(ingressDoc(`
    tls:
    - hosts: ["*.Example.com", "a.*.example.com"]
      secretName: Web_TLS
    defaultBackend:
      service:
        name: web
        port:
          number: 80
  `), 'ingress-tls');
  assert.deepEqual(p.map((x) => x.text), ['"*.Example.com"', '"a.*.example.com"', 'Web_TLS']);
  assert.match(p[0].message, /TLS host "\*.Example.com" is not valid: it has uppercase letters/);
  assert.match(p[2].message, /secretName "Web_TLS" is not a valid Secret name/);
  assert.deepEqual(diagnoseRule(ingressDoc(`
    tls:
    - hosts: ["*.example.com", example.com]
      secretName: web-tls
    defaultBackend:
      service:
        name: web
        port:
          number: 80
  `), 'ingress-tls'), []);
});

test('ingress-class: format, and disagreement with kubernetes.io/ingress.class', () => {
  const p = diagnoseRule(ingressDoc(`
    ingressClassName: Nginx_Public
    defaultBackend:
      service:
        name: web
        port:
          number: 80
  `), 'ingress-class');
  assert.deepEqual(p.map((x) => x.text), ['Nginx_Public']);
  assert.match(p[0].message, /not a valid IngressClass name: it has uppercase letters/);
  const m = diagnoseRule(ingressDoc(`
    ingressClassName: traefik
    defaultBackend:
      service:
        name: web
        port:
          number: 80
  `, '    annotations:\n      kubernetes.io/ingress.class: nginx'), 'ingress-class');
  assert.deepEqual(m.map((x) => x.text), ['traefik']);
  assert.match(m[0].message, /differs from the annotation kubernetes.io\/ingress.class "nginx"/);
  assert.deepEqual(diagnoseRule(ingressDoc(`
    ingressClassName: nginx
    defaultBackend:
      service:
        name: web
        port:
          number: 80
  `, '    annotations:\n      kubernetes.io/ingress.class: nginx'), 'ingress-class'), []);
});

test('ingress-path and ingress-backend: http without paths, Service name format, resource kind', () => {
  const p = diagnoseRule(ingressDoc(`
    rules:
    - host: example.com
      http:
        paths: []
  `), 'ingress-path');
  assert.deepEqual(p.map((x) => x.text), ['http']);
  assert.match(p[0].message, /needs at least one entry under paths/);
  const b = diagnoseRule(ingressDoc(`
    defaultBackend:
      service:
        name: 1st.web
        port:
          number: 80
    rules:
    - http:
        paths:
        - path: /b
          pathType: Prefix
          backend:
            resource:
              apiGroup: k8s.example.com
              name: bucket
  `), 'ingress-backend');
  assert.deepEqual(b.map((x) => x.text), ['1st.web', 'resource']);
  assert.match(b[0].message, /service name "1st.web" cannot name a Service: .*must start with a letter/);
  assert.match(b[1].message, /resource backend needs kind/);
});

test('service-spec: a mistyped type or paths map is left to the schema (no guess at the type)', () => {
  assert.deepEqual(diagnoseRule(service(`
    type: [LoadBalancer]
    loadBalancerSourceRanges: [10.0.0.0/8]
    ports:
    - port: 80
  `), 'service-spec'), []);
  assert.deepEqual(diagnoseRule(ingressDoc(`
    rules:
    - http:
        paths: {}
  `), 'ingress-path'), []);
});
