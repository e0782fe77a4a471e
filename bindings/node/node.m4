# bindings/node/node.m4 - configure checks of the Node binding
# (included by configure.ac).
#
# Built when node, SWIG and Node's headers are found (--disable-node turns
# it off, --enable-node makes a missing piece an error).  SWIG 4.2 and
# newer with node-addon-api: the Node-API engine (-napi, one binary for
# every Node version); otherwise SWIG's V8 engine (-node), built against
# the headers of the node that will run it.

AC_ARG_ENABLE([node],
	[AS_HELP_STRING([--enable-node],
		[build the Node binding (default: when Node, its headers and SWIG are found)])],
	[], [enable_node=auto])
AC_ARG_WITH([node-headers],
	[AS_HELP_STRING([--with-node-headers=DIR],
		[Node's C++ headers (default: asked from node, else /usr/include/node)])],
	[], [with_node_headers=])
AC_ARG_WITH([node-engine],
	[AS_HELP_STRING([--with-node-engine=auto|napi|v8],
		[SWIG's JavaScript engine (default: napi with SWIG >= 4.2 and node-addon-api, else v8)])],
	[], [with_node_engine=auto])
AC_ARG_WITH([node-pkgdir],
	[AS_HELP_STRING([--with-node-pkgdir=DIR],
		[where make install puts the npm package folder (default: PREFIX/lib/node_modules/libsandbox)])],
	[], [with_node_pkgdir='${prefix}/lib/node_modules/libsandbox'])
AC_SUBST([nodepkgdir], [$with_node_pkgdir])

AC_PROG_CXX
node_ok=no
node_why=
NODE_ENGINE=
NODE_CPPFLAGS=
if test "x$enable_node" = xauto && test "x$enable_sanitizers" = xyes; then
	node_why="not with --enable-sanitizers unless asked (--enable-node): node would need the ASan runtime preloaded"
elif test "x$enable_node" != xno; then
	AC_PATH_PROGS([NODE], [node nodejs])
	AC_PATH_PROG([NPM], [npm])
	AC_PATH_PROGS([SWIG], [swig4.0 swig])
	node_ok=yes
	if test -z "$NODE"; then
		node_ok=no node_why="node was not found"
	elif test -z "$SWIG"; then
		node_ok=no node_why="swig was not found"
	fi
fi
if test "x$node_ok" = xyes; then
	AC_MSG_CHECKING([for Node's headers])
	node_inc=$with_node_headers
	if test -z "$node_inc"; then
		node_prefix=`"$NODE" -p 'process.config.variables.node_prefix' 2>/dev/null`
		for d in "$node_prefix/include/node" /usr/include/node \
			 /usr/local/include/node /usr/include/nodejs/src; do
			if test -f "$d/node.h" && test -f "$d/node_api.h"; then
				node_inc=$d
				break
			fi
		done
	fi
	if test -n "$node_inc" && test -f "$node_inc/node_api.h"; then
		AC_MSG_RESULT([$node_inc])
	else
		AC_MSG_RESULT([no])
		node_ok=no node_why="Node's headers (node.h) were not found; install libnode-dev or pass --with-node-headers"
	fi
fi
if test "x$node_ok" = xyes; then
	AC_MSG_CHECKING([for SWIG's JavaScript engine])
	swig_version=`"$SWIG" -version 2>/dev/null | sed -n 's/^SWIG Version \([[0-9.]]*\).*/\1/p'`
	swig_napi=no
	AS_VERSION_COMPARE([$swig_version], [4.2.0], [], [swig_napi=yes], [swig_napi=yes])
	napi_inc=
	for d in `"$NODE" -p 'require("node-addon-api").include_dir' 2>/dev/null` \
		 /usr/share/nodejs/node-addon-api /usr/lib/node_modules/node-addon-api \
		 /usr/local/lib/node_modules/node-addon-api; do
		if test -f "$d/napi.h"; then
			napi_inc=$d
			break
		fi
	done
	case $with_node_engine in
	auto)
		if test "x$swig_napi" = xyes && test -n "$napi_inc"; then
			NODE_ENGINE=napi
		else
			NODE_ENGINE=v8
		fi ;;
	napi)
		test "x$swig_napi" = xyes || AC_MSG_ERROR([--with-node-engine=napi needs SWIG 4.2 or newer; this is $swig_version])
		test -n "$napi_inc" || AC_MSG_ERROR([--with-node-engine=napi needs node-addon-api (napi.h)])
		NODE_ENGINE=napi ;;
	v8)
		NODE_ENGINE=v8 ;;
	*)
		AC_MSG_ERROR([--with-node-engine: expected auto, napi or v8]) ;;
	esac
	AC_MSG_RESULT([$NODE_ENGINE (SWIG $swig_version)])
	# Without BUILDING_NODE_EXTENSION, Node says "Module did not
	# self-register" (V8 engine).
	if test "x$NODE_ENGINE" = xnapi; then
		SWIG_NODE_FLAGS="-javascript -napi -c++"
		NODE_CPPFLAGS="-I$node_inc -I$napi_inc -DBUILDING_NODE_EXTENSION"
	else
		SWIG_NODE_FLAGS="-javascript -node -c++"
		NODE_CPPFLAGS="-I$node_inc -DBUILDING_NODE_EXTENSION"
	fi
fi
if test "x$node_ok" != xyes && test "x$enable_node" = xyes; then
	AC_MSG_ERROR([--enable-node: $node_why])
fi
AM_CONDITIONAL([ENABLE_NODE], [test "x$node_ok" = xyes])
AC_SUBST([NODE_CPPFLAGS])
AC_SUBST([SWIG_NODE_FLAGS])
AC_SUBST([NODE_ENGINE])
AC_SUBST([node_why])
AC_CONFIG_FILES([bindings/node/package.json])
if test "x$node_ok" = xyes; then
	AC_MSG_NOTICE([Node binding: yes, $NODE_ENGINE engine; make install puts it in $with_node_pkgdir])
elif test "x$enable_node" = xno; then
	AC_MSG_NOTICE([Node binding: no (--disable-node)])
else
	AC_MSG_NOTICE([Node binding: no ($node_why)])
fi
