// LEMON NetworkSimplex on a DIMACS min-cost flow file: prints the optimum
// and the solve time (reading excluded), like `zhagen assign`.
#include <lemon/smart_graph.h>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <chrono>
#include <fstream>
#include <iostream>
using namespace lemon;
int main(int argc, char** argv) {
  std::ifstream in(argv[1]);
  SmartDigraph g;
  SmartDigraph::ArcMap<long long> low(g), cap(g), cost(g);
  SmartDigraph::NodeMap<long long> sup(g);
  readDimacsMin(in, g, low, cap, cost, sup);
  auto t0 = std::chrono::steady_clock::now();
  NetworkSimplex<SmartDigraph, long long, long long> ns(g);
  ns.lowerMap(low).upperMap(cap).costMap(cost).supplyMap(sup);
  auto r = ns.run();
  auto t1 = std::chrono::steady_clock::now();
  std::cout << "{\"solver\":\"lemon-ns\",\"status\":" << r << ",\"cost\":" << ns.totalCost()
            << ",\"seconds\":" << std::chrono::duration<double>(t1 - t0).count() << "}" << std::endl;
}
