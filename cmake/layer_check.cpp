// Linked with one layer of lib/ whole (every object) and only the layers below it: a call into a layer
// above is an undefined reference, so the build fails (CMakeLists.txt, "layer_check_*").
int main() { return 0; }
